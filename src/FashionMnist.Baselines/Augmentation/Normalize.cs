using FashionMnist.Baselines.Data;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Normalises float images in [0, 1] with <see cref="ImageNormalization"/> statistics, for your own loops over
/// unnormalised batches (<see cref="ImageNormalization.None"/>). Not for <see cref="Training.TrainerOptions.Augmentation"/>:
/// the trainer applies that pipeline to training batches only, so validation and test batches would reach the model
/// unnormalised and every validation figure would be wrong. To train on normalised images, load the data normalised
/// (<see cref="Data.FashionMnistOptions.Normalization"/>), which normalises every batch the data set hands out.
/// </summary>
public sealed class Normalize(ImageNormalization normalization) : IBatchTransform
{
    /// <summary>The statistics applied.</summary>
    public ImageNormalization Normalization { get; } = normalization ?? throw new ArgumentNullException(nameof(normalization));

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator) => Normalization.ApplyToUnitScale(images);

    /// <inheritdoc />
    public override string ToString() => $"Normalize({Normalization})";
}
