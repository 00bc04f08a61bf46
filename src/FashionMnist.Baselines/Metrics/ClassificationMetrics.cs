namespace FashionMnist.Baselines.Metrics;

/// <summary>Per-class and averaged precision, recall and F1 from a <see cref="ConfusionMatrix"/>, as scikit-learn computes them.</summary>
public sealed class ClassificationMetrics
{
    /// <summary>Computes the metrics of <paramref name="matrix"/>.</summary>
    public ClassificationMetrics(ConfusionMatrix matrix, ZeroDivision zeroDivision = ZeroDivision.Zero)
    {
        Matrix = matrix ?? throw new ArgumentNullException(nameof(matrix));
        ZeroDivision = zeroDivision;
        double fallback = zeroDivision == ZeroDivision.One ? 1 : 0;
        long[] tp = matrix.TruePositives(), support = matrix.Support(), predicted = matrix.PredictedCounts();
        PerClass = Enumerable.Range(0, matrix.ClassCount).Select(c =>
        {
            double precision = predicted[c] == 0 ? fallback : (double)tp[c] / predicted[c];
            double recall = support[c] == 0 ? fallback : (double)tp[c] / support[c];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new ClassScores(precision, recall, f1, support[c]);
        }).ToArray();

        long total = support.Sum();
        MacroAverage = new ClassScores(PerClass.Average(s => s.Precision), PerClass.Average(s => s.Recall), PerClass.Average(s => s.F1), total);
        WeightedAverage = total == 0
            ? new ClassScores(fallback, fallback, fallback, 0)
            : new ClassScores(
                PerClass.Sum(s => s.Precision * s.Support) / total,
                PerClass.Sum(s => s.Recall * s.Support) / total,
                PerClass.Sum(s => s.F1 * s.Support) / total,
                total);
    }

    /// <summary>The counts the metrics come from.</summary>
    public ConfusionMatrix Matrix { get; }

    /// <summary>The value used for a zero denominator.</summary>
    public ZeroDivision ZeroDivision { get; }

    /// <summary>Scores of each class, in label order.</summary>
    public IReadOnlyList<ClassScores> PerClass { get; }

    /// <summary>Unweighted mean over classes.</summary>
    public ClassScores MacroAverage { get; }

    /// <summary>Mean over classes weighted by support.</summary>
    public ClassScores WeightedAverage { get; }

    /// <summary>Fraction of correct predictions.</summary>
    public double Accuracy => Matrix.Accuracy;
}
