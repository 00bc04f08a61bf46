using FashionMnist.Baselines.Metrics;

namespace FashionMnist.Baselines.Training;

/// <summary>A model's figures on a data set, in evaluation mode, as <see cref="ITrainer.Evaluate"/> measures them.</summary>
/// <param name="CrossEntropy">
/// Mean cross-entropy of the logits (the training objective, without label smoothing). Not the same figure as
/// <see cref="Predictions.LogLoss"/>, scikit-learn's log loss of the predicted probabilities, which clips each
/// probability at float32's epsilon and so counts a very confident mistake at most 15.9; run reports score
/// predictions that way.
/// </param>
/// <param name="Accuracy">Fraction predicted correctly.</param>
/// <param name="Count">Number of samples.</param>
/// <param name="Metrics">Confusion matrix and per-class precision, recall and F1.</param>
public sealed record EvaluationResult(double CrossEntropy, double Accuracy, int Count, ClassificationMetrics Metrics)
{
    /// <summary>The scikit-learn-style classification report.</summary>
    public string Report(int digits = 4) => ClassificationReport.Format(Metrics, digits);
}
