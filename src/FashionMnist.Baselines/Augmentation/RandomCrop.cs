using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Pads every image by <see cref="Padding"/> pixels of <see cref="Fill"/> on each side, then cuts a random
/// <c>H x W</c> window from each image independently (torchvision's <c>RandomCrop(size, padding)</c> per image).
/// The Random Erasing recipe uses padding 4 with black, which is <c>(0 - mean) / std</c> after normalisation.
/// </summary>
public sealed class RandomCrop : IBatchTransform
{
    /// <summary>Creates the transform.</summary>
    /// <param name="padding">Pixels added on each side (at least 1).</param>
    /// <param name="fill">Value of the padding, in the units of the batch (normalised units for normalised batches).</param>
    public RandomCrop(int padding, float fill = 0f)
    {
        if (padding < 1) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be at least 1 pixel.");
        if (!float.IsFinite(fill)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "The fill value must be finite.");
        Padding = padding;
        Fill = fill;
    }

    /// <summary>Pixels of padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Value of the padding pixels.</summary>
    public float Fill { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        long batch = images.shape[0];
        // Offsets 0..2*padding inclusive, one pair per image.
        using Tensor top = randint(0, 2 * Padding + 1, [batch], generator: generator);
        using Tensor left = randint(0, 2 * Padding + 1, [batch], generator: generator);
        return Crop(images, top, left);
    }

    /// <summary>Pads and cuts the window whose top-left corner in the padded image is (<paramref name="top"/>, <paramref name="left"/>).</summary>
    internal Tensor Crop(Tensor images, Tensor top, Tensor left)
    {
        using var scope = NewDisposeScope();
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        Device device = images.device;
        Tensor padded = nn.functional.pad(images, [Padding, Padding, Padding, Padding], value: Fill);
        // Gather rows, then columns: index[b, c, i, j] = top[b] + i, then left[b] + j.
        Tensor rows = (top.to_type(ScalarType.Int64).to(device).view(b, 1, 1, 1) + arange(h, device: device).view(1, 1, h, 1)).expand(b, c, h, w + 2 * Padding);
        Tensor columns = (left.to_type(ScalarType.Int64).to(device).view(b, 1, 1, 1) + arange(w, device: device).view(1, 1, 1, w)).expand(b, c, h, w);
        return padded.gather(2, rows).gather(3, columns).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"RandomCrop(padding {Padding}, fill {Fill})");
}
