using FashionMnist.Baselines.Metrics;

namespace FashionMnist.Baselines.Training;

/// <summary>A model's figures on a data set, in evaluation mode.</summary>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Accuracy">Fraction predicted correctly.</param>
/// <param name="Count">Number of samples.</param>
/// <param name="Metrics">Confusion matrix and per-class precision, recall and F1.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, int Count, ClassificationMetrics Metrics)
{
    /// <summary>The scikit-learn-style classification report.</summary>
    public string Report(int digits = 4) => ClassificationReport.Format(Metrics, digits);
}
