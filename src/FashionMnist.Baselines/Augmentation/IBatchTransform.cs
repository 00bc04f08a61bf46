using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// A random (or fixed) transformation of a whole batch of float images <c>[B, C, H, W]</c>, done with tensor
/// operations on the batch's device. Every random choice comes from the CPU <see cref="Generator"/> passed in, so the
/// same seed gives the same result on any device. Implementations override <see cref="object.ToString"/> with their
/// settings: run reports show it, and a checkpoint only resumes under a pipeline that prints the same.
/// </summary>
public interface IBatchTransform
{
    /// <summary>Returns the transformed batch as a new tensor; <paramref name="images"/> is left unchanged.</summary>
    Tensor Apply(Tensor images, Generator generator);
}
