using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Test-time augmentation by flips and small shifts, as the fast CIFAR-10 recipes use it (airbench's flip + translate):
/// classifies six views of each image (the image, the image moved <see cref="Shift"/> pixels down and right, and moved
/// <see cref="Shift"/> pixels up and left, each also mirrored left to right) and averages the six class probability
/// vectors with equal weights. Pixels moved in from outside the image take <see cref="Fill"/>. Its output is a set of
/// logits whose softmax is that mean, so it stands in for the wrapped classifier anywhere, like
/// <see cref="FlipAveragingClassifier"/> (which averages the first two views only).
/// </summary>
/// <remarks>
/// It costs six forward passes. Use it for the final evaluation only: selecting epochs on validation stays with the
/// plain model. It owns the classifier, as <see cref="FlipAveragingClassifier"/> does.
/// </remarks>
public sealed class FlipShiftAveragingClassifier : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> classifier;

    /// <summary>Wraps <paramref name="classifier"/>, which maps images [N, C, H, W] to logits [N, classes].</summary>
    /// <param name="classifier">The classifier.</param>
    /// <param name="shift">Pixels the shifted views move in each direction (1 or more; smaller than the image).</param>
    /// <param name="fill">The value of pixels moved in from outside, in the units of the batch: black is 0 for
    /// unnormalised images and <c>(0 - mean) / std</c> for normalised ones.</param>
    public FlipShiftAveragingClassifier(Module<Tensor, Tensor> classifier, int shift = 1, float fill = 0f) : base(nameof(FlipShiftAveragingClassifier))
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (shift < 1) throw new ArgumentOutOfRangeException(nameof(shift), shift, "The shift must be at least 1 pixel.");
        if (!float.IsFinite(fill)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "The fill value must be finite.");
        bool wasTraining = classifier.training;
        this.classifier = classifier;
        Shift = shift;
        Fill = fill;
        RegisterComponents();
        train(wasTraining); // a new module starts in training mode; keep the classifier's mode
    }

    /// <summary>The wrapped classifier.</summary>
    public Module<Tensor, Tensor> Classifier => classifier;

    /// <summary>Pixels the shifted views move.</summary>
    public int Shift { get; }

    /// <summary>The value of pixels moved in from outside the image.</summary>
    public float Fill { get; }

    /// <summary>Logits of the mean of the class probabilities of the six views of <paramref name="images"/>.</summary>
    public override Tensor forward(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4) throw new ArgumentException($"Expected images [N, C, H, W], got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.shape[2] <= Shift || images.shape[3] <= Shift)
        {
            throw new ArgumentException($"Images of {images.shape[2]}x{images.shape[3]} pixels cannot be shifted by {Shift}.", nameof(images));
        }
        using var scope = NewDisposeScope();
        Tensor[] views = [images, Shifted(images, Shift), Shifted(images, -Shift)];
        return ProbabilityAveraging.MeanLogits(views.SelectMany(view => new[] { classifier.forward(view), classifier.forward(view.flip(3)) }))
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="images"/> moved <paramref name="by"/> pixels down and right (up and left when negative):
    /// output pixel (i, j) is input pixel (i - by, j - by), or <see cref="Fill"/> where that lies outside.
    /// </summary>
    internal Tensor Shifted(Tensor images, int by)
    {
        int pad = Math.Abs(by);
        long height = images.shape[2], width = images.shape[3];
        Tensor padded = functional.pad(images, [pad, pad, pad, pad], value: Fill);
        return padded.narrow(2, pad - by, height).narrow(3, pad - by, width);
    }
}
