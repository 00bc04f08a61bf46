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
        // This object owns the tensors for its whole life, whatever dispose scope the caller has open.
        Probabilities = probabilities.DetachFromDisposeScope();
        Actual = actual.DetachFromDisposeScope();
        Indices = indices.DetachFromDisposeScope();
        ClassNames = classNames ?? throw new ArgumentNullException(nameof(classNames));
        if (probabilities.dim() != 2 || probabilities.shape[1] != classNames.Count || actual.shape[0] != probabilities.shape[0])
        {
            throw new ArgumentException("Probabilities must be [N, classes] and the labels [N].", nameof(probabilities));
        }
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
