using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Reporting;

/// <summary>Scores of one model's predictions on one data set, in a form that serialises to JSON.</summary>
/// <param name="Name">What was evaluated, such as "best on validation" or "final".</param>
/// <param name="Accuracy">Fraction correct.</param>
/// <param name="LogLoss">scikit-learn's log loss of the predicted probabilities (<see cref="Predictions.LogLoss"/>).</param>
/// <param name="Count">Samples.</param>
/// <param name="PerClass">Per-class scores, keyed by class name in label order.</param>
/// <param name="MacroAverage">Macro average.</param>
/// <param name="WeightedAverage">Weighted average.</param>
/// <param name="ConfusionMatrix">Counts, rows true class, columns predicted.</param>
/// <param name="Report">The scikit-learn-style classification report.</param>
public sealed record ScoreCard(
    string Name, double Accuracy, double LogLoss, int Count, IReadOnlyList<NamedScores> PerClass, ClassScores MacroAverage,
    ClassScores WeightedAverage, long[][] ConfusionMatrix, string Report)
{
    /// <summary>Scores <paramref name="predictions"/>, as a run report does.</summary>
    public static ScoreCard From(string name, Predictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ClassificationMetrics m = predictions.Metrics();
        long[][] counts = Enumerable.Range(0, m.Matrix.ClassCount)
            .Select(i => Enumerable.Range(0, m.Matrix.ClassCount).Select(j => m.Matrix[i, j]).ToArray()).ToArray();
        return new ScoreCard(name, m.Accuracy, predictions.LogLoss, predictions.Count,
            m.PerClass.Select((s, c) => new NamedScores(m.Matrix.ClassNames[c], s.Precision, s.Recall, s.F1, s.Support)).ToArray(),
            m.MacroAverage, m.WeightedAverage, counts, ClassificationReport.Format(m, 4));
    }
}

/// <summary>One class's scores with its name.</summary>
public sealed record NamedScores(string Class, double Precision, double Recall, double F1, long Support);

/// <summary>Everything a run report shows: what ran, how it went, and how it scored on the test set.</summary>
/// <param name="Title">The run's title, such as "cnn (seed recipe)".</param>
/// <param name="Command">The command line that made the run.</param>
/// <param name="Options">The options used, as name and value.</param>
/// <param name="History">Epoch by epoch.</param>
/// <param name="BestEpoch">The epoch selected on validation (0 when there was no validation set).</param>
/// <param name="Test">Test-set scores: the best-on-validation model and the final model.</param>
/// <param name="MostConfused">The most confused pairs of the first test score card.</param>
/// <param name="Images">PNG files in the run folder, as (caption, relative path).</param>
/// <param name="WallSeconds">Wall time of the whole run.</param>
/// <param name="Environment">Versions and machine.</param>
public sealed record RunSummary(
    string Title, string Command, IReadOnlyDictionary<string, string> Options, IReadOnlyList<EpochRecord> History, int BestEpoch,
    IReadOnlyList<ScoreCard> Test, IReadOnlyList<ConfusedPair> MostConfused, IReadOnlyList<RunImage> Images, double WallSeconds,
    RunEnvironment Environment);

/// <summary>A picture of the run.</summary>
public sealed record RunImage(string Caption, string Path);
