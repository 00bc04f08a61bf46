using static TorchSharp.torch;

namespace FashionMnist.Baselines.Metrics;

/// <summary>How <see cref="ConfusionMatrix.Normalized"/> scales the counts (scikit-learn's <c>normalize</c>).</summary>
public enum ConfusionNormalization
{
    /// <summary>Each row (true class) sums to 1: the diagonal is the recall.</summary>
    True,

    /// <summary>Each column (predicted class) sums to 1: the diagonal is the precision.</summary>
    Predicted,

    /// <summary>All cells sum to 1.</summary>
    All,
}

/// <summary>
/// Counts of (true class, predicted class) pairs: row = true class, column = predicted class, as in scikit-learn.
/// Accumulates batch by batch from tensors or arrays.
/// </summary>
public sealed class ConfusionMatrix
{
    readonly long[,] _counts;

    /// <summary>Creates an empty matrix for <paramref name="classNames"/>.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2) throw new ArgumentException("A confusion matrix needs at least 2 classes.", nameof(classNames));
        ClassNames = classNames.ToArray();
        _counts = new long[classNames.Count, classNames.Count];
    }

    /// <summary>Class names, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Number of samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>The count of samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>A copy of the counts, <c>[true, predicted]</c>.</summary>
    public long[,] Counts => (long[,])_counts.Clone();

    /// <summary>Builds a matrix from label arrays.</summary>
    public static ConfusionMatrix From(IReadOnlyList<string> classNames, IReadOnlyList<long> actual, IReadOnlyList<long> predicted)
    {
        var matrix = new ConfusionMatrix(classNames);
        matrix.Add(actual, predicted);
        return matrix;
    }

    /// <summary>Adds a batch of label pairs given as arrays.</summary>
    /// <exception cref="ArgumentException">The lengths differ or a label is not a class.</exception>
    public void Add(IReadOnlyList<long> actual, IReadOnlyList<long> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"There are {actual.Count} true labels but {predicted.Count} predictions.", nameof(predicted));
        }
        for (int i = 0; i < actual.Count; i++)
        {
            CheckLabel(actual[i], nameof(actual));
            CheckLabel(predicted[i], nameof(predicted));
        }
        for (int i = 0; i < actual.Count; i++) _counts[actual[i], predicted[i]]++;
        Total += actual.Count;
    }

    /// <summary>Adds a batch of label pairs given as int64 tensors <c>[B]</c> on any device (one bincount, one copy).</summary>
    public void Add(Tensor actual, Tensor predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.numel() != predicted.numel())
        {
            throw new ArgumentException($"There are {actual.numel()} true labels but {predicted.numel()} predictions.", nameof(predicted));
        }
        if (actual.numel() == 0) return;
        using var scope = NewDisposeScope();
        Tensor a = actual.flatten().to_type(ScalarType.Int64), p = predicted.flatten().to_type(ScalarType.Int64);
        long low = Math.Min(a.min().item<long>(), p.min().item<long>()), high = Math.Max(a.max().item<long>(), p.max().item<long>());
        if (low < 0 || high >= ClassCount)
        {
            throw new ArgumentException($"Labels must lie in 0..{ClassCount - 1}; found {low}..{high}.", nameof(actual));
        }
        long[] cells = (a * ClassCount + p).bincount(null, ClassCount * ClassCount).cpu().data<long>().ToArray();
        for (int k = 0; k < cells.Length; k++) _counts[k / ClassCount, k % ClassCount] += cells[k];
        Total += actual.numel();
    }

    /// <summary>Samples of each true class (row sums).</summary>
    public long[] Support() => Enumerable.Range(0, ClassCount).Select(i => Enumerable.Range(0, ClassCount).Sum(j => _counts[i, j])).ToArray();

    /// <summary>Predictions of each class (column sums).</summary>
    public long[] PredictedCounts() => Enumerable.Range(0, ClassCount).Select(j => Enumerable.Range(0, ClassCount).Sum(i => _counts[i, j])).ToArray();

    /// <summary>Correct predictions of each class (the diagonal).</summary>
    public long[] TruePositives() => Enumerable.Range(0, ClassCount).Select(i => _counts[i, i]).ToArray();

    /// <summary>Fraction of samples predicted correctly (0 when empty).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)TruePositives().Sum() / Total;

    /// <summary>The counts scaled as <paramref name="normalization"/> says; rows or columns with no samples stay 0.</summary>
    public double[,] Normalized(ConfusionNormalization normalization)
    {
        long[] rows = Support(), columns = PredictedCounts();
        var result = new double[ClassCount, ClassCount];
        for (int i = 0; i < ClassCount; i++)
            for (int j = 0; j < ClassCount; j++)
            {
                long denominator = normalization switch
                {
                    ConfusionNormalization.True => rows[i],
                    ConfusionNormalization.Predicted => columns[j],
                    _ => Total,
                };
                result[i, j] = denominator == 0 ? 0 : (double)_counts[i, j] / denominator;
            }
        return result;
    }

    void CheckLabel(long label, string name)
    {
        if (label < 0 || label >= ClassCount)
        {
            throw new ArgumentException($"Label {label} is not a class: labels lie in 0..{ClassCount - 1}.", name);
        }
    }
}
