using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Test-time augmentation by horizontal flip: classifies each image and its mirror image and averages the two class
/// probability vectors. Its output is a set of logits whose softmax is that mean, so it can stand in for the wrapped
/// classifier anywhere: <see cref="Training.ITrainer.Evaluate"/> (its cross-entropy is the log loss of the mean
/// probabilities), <see cref="Training.ITrainer.Predict"/>, or your own code.
/// </summary>
/// <remarks>
/// It helps models trained with <see cref="RandomHorizontalFlip"/>, which have learned that a garment and its mirror
/// image are the same class; it costs a second forward pass. Use it for the final evaluation only: selecting epochs on
/// validation stays with the plain model. Like any container module it owns the classifier: disposing it disposes the
/// classifier, and <c>eval()</c>, <c>train()</c> and <c>to()</c> reach the classifier.
/// </remarks>
public sealed class FlipAveragingClassifier : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> classifier;

    /// <summary>Wraps <paramref name="classifier"/>, which maps images [N, C, H, W] to logits [N, classes].</summary>
    public FlipAveragingClassifier(Module<Tensor, Tensor> classifier) : base(nameof(FlipAveragingClassifier))
    {
        ArgumentNullException.ThrowIfNull(classifier);
        bool wasTraining = classifier.training;
        this.classifier = classifier;
        RegisterComponents();
        train(wasTraining); // a new module starts in training mode; keep the classifier's mode
    }

    /// <summary>The wrapped classifier.</summary>
    public Module<Tensor, Tensor> Classifier => classifier;

    /// <summary>Logits of the mean of the class probabilities of <paramref name="images"/> and of their mirror images.</summary>
    public override Tensor forward(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4) throw new ArgumentException($"Expected images [N, C, H, W], got shape [{string.Join(", ", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        return ProbabilityAveraging.MeanLogits([classifier.forward(images), classifier.forward(images.flip(3))]).MoveToOuterDisposeScope();
    }
}
