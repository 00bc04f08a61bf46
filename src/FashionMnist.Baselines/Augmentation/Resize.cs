using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Resizes every image to <see cref="Height"/> x <see cref="Width"/> with bilinear interpolation. Note that a
/// pipeline runs on training batches only: a model that needs resized input at evaluation time should resize itself,
/// as <see cref="Models.MobileNetV1"/> does for the seed's 56x56 input.
/// </summary>
public sealed class Resize : IBatchTransform
{
    /// <summary>Creates the transform.</summary>
    public Resize(int height, int width)
    {
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 1.");
        Height = height;
        Width = width;
    }

    /// <summary>Target height.</summary>
    public int Height { get; }

    /// <summary>Target width.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator) =>
        nn.functional.interpolate(images, size: [Height, Width], mode: InterpolationMode.Bilinear, align_corners: false);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"Resize({Height}x{Width}, bilinear)");
}
