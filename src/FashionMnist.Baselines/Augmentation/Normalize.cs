using FashionMnist.Baselines.Data;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Normalises float images in [0, 1] with <see cref="ImageNormalization"/> statistics. Use it when the data set hands
/// out unnormalised batches (<see cref="ImageNormalization.None"/>); data sets normalise their batches themselves otherwise.
/// </summary>
public sealed class Normalize(ImageNormalization normalization) : IBatchTransform
{
    /// <summary>The statistics applied.</summary>
    public ImageNormalization Normalization { get; } = normalization ?? throw new ArgumentNullException(nameof(normalization));

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator) => Normalization.ApplyToUnitScale(images);
}
