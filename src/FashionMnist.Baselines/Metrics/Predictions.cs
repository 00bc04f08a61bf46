using static TorchSharp.torch;

namespace FashionMnist.Baselines.Metrics;

/// <summary>
/// A model's predictions on a data set, on the CPU: class probabilities <c>[N, C]</c>, predicted and true labels
/// <c>[N]</c>, and each sample's position in its data set.
/// </summary>
public sealed class Predictions : IDisposable
{
    /// <summary>Wraps tensors that this object will own.</summary>
    public Predictions(Tensor probabilities, Tensor actual, Tensor indices, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(classNames);
        // Checked before taking ownership, so that rejected tensors stay with the caller's dispose scope.
        if (probabilities.dim() != 2 || probabilities.shape[1] != classNames.Count || actual.dim() != 1 || indices.dim() != 1
            || actual.shape[0] != probabilities.shape[0] || indices.shape[0] != probabilities.shape[0])
        {
            throw new ArgumentException(
                $"Expected probabilities [N, {classNames.Count}], labels [N] and indices [N]; got [{string.Join(", ", probabilities.shape)}], " +
                $"[{string.Join(", ", actual.shape)}] and [{string.Join(", ", indices.shape)}].", nameof(probabilities));
        }
        // This object owns the tensors for its whole life, whatever dispose scope the caller has open.
        Probabilities = probabilities.DetachFromDisposeScope();
        Actual = actual.DetachFromDisposeScope();
        Indices = indices.DetachFromDisposeScope();
        ClassNames = classNames;
        Predicted = probabilities.argmax(1).DetachFromDisposeScope();
    }

    /// <summary>Class probabilities (softmax of the logits), float32 <c>[N, C]</c>.</summary>
    public Tensor Probabilities { get; }

    /// <summary>The most probable class of each sample, int64 <c>[N]</c>.</summary>
    public Tensor Predicted { get; }

    /// <summary>The true class of each sample, int64 <c>[N]</c>.</summary>
    public Tensor Actual { get; }

    /// <summary>Each sample's position in the data set, int64 <c>[N]</c>.</summary>
    public Tensor Indices { get; }

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of samples.</summary>
    public int Count => (int)Actual.shape[0];

    /// <summary>Fraction predicted correctly.</summary>
    public double Accuracy => ProbabilityMetrics.Accuracy(Probabilities, Actual);

    /// <summary>
    /// scikit-learn's <c>log_loss</c> of the probabilities (each clipped at float32's epsilon, so a very confident
    /// mistake counts at most 15.9). The figure run reports give; the trainer's cross-entropy of the logits
    /// (<c>EvaluationResult.CrossEntropy</c>) can be slightly higher.
    /// </summary>
    public double LogLoss => ProbabilityMetrics.LogLoss(Probabilities, Actual);

    /// <summary>Precision, recall and F1 per class and averaged, from <see cref="ConfusionMatrix"/>.</summary>
    public ClassificationMetrics Metrics() => new(ConfusionMatrix());

    /// <summary>The scikit-learn-style classification report of these predictions.</summary>
    public string Report(int digits = 4) => ClassificationReport.Format(Metrics(), digits);

    /// <summary>The confusion matrix of these predictions.</summary>
    public ConfusionMatrix ConfusionMatrix()
    {
        var matrix = new ConfusionMatrix(ClassNames);
        matrix.Add(Actual, Predicted);
        return matrix;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Probabilities.Dispose();
        Predicted.Dispose();
        Actual.Dispose();
        Indices.Dispose();
    }
}
