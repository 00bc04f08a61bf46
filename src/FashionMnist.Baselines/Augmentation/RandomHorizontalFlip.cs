using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Mirrors each image left to right with probability <see cref="Probability"/>, with its own coin per image
/// (TorchVision .NET's flip draws one coin per call and so flips a whole batch or none of it).
/// </summary>
public sealed class RandomHorizontalFlip : IBatchTransform
{
    /// <summary>Creates the transform.</summary>
    /// <param name="probability">Chance that an image is flipped, in [0, 1]. Default 0.5.</param>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The flip probability must be in [0, 1].");
        }
        Probability = probability;
    }

    /// <summary>Chance that an image is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        Tensor flip = rand([images.shape[0]], generator: generator).lt(Probability).to(images.device).view(-1, 1, 1, 1);
        return where(flip, images.flip(3), images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"RandomHorizontalFlip(p {Probability})");
}
