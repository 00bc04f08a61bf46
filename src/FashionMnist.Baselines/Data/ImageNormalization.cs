using System.Globalization;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// Maps pixels scaled to [0, 1] to <c>(x - mean) / std</c>, per channel. One value applies to every channel.
/// </summary>
public sealed class ImageNormalization
{
    /// <summary>The Fashion-MNIST training-set statistics: mean 0.2860, std 0.3530.</summary>
    public static ImageNormalization FashionMnist { get; } = new([0.2860f], [0.3530f]);

    /// <summary>No normalisation: pixels stay in [0, 1] (the seed CNN's <c>/255</c>).</summary>
    public static ImageNormalization None { get; } = new([0f], [1f]);

    /// <summary>Creates a normalisation with the caller's per-channel statistics.</summary>
    /// <exception cref="ArgumentException">The arrays are empty, differ in length, or a value is not finite or a std is not positive.</exception>
    public ImageNormalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException(
                $"Normalisation needs one mean and one std per channel; got {mean.Count} means and {std.Count} stds.", nameof(mean));
        }
        if (mean.Any(m => !float.IsFinite(m)))
        {
            throw new ArgumentException($"Every mean must be finite; got [{string.Join(", ", mean)}].", nameof(mean));
        }
        if (std.Any(s => !float.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException($"Every std must be finite and positive; got [{string.Join(", ", std)}].", nameof(std));
        }
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>
    /// A black pixel after normalisation, <c>(0 - mean) / std</c> of the first channel: the fill of padding, shifts and
    /// erasing in normalised grey batches.
    /// </summary>
    public float Black => (0f - Mean[0]) / Std[0];

    /// <summary>Per-channel means, in units of the [0, 1] pixel scale.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel standard deviations, in units of the [0, 1] pixel scale.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>True when this normalisation leaves pixels as they are.</summary>
    public bool IsIdentity => Mean.All(m => m == 0f) && Std.All(s => s == 1f);

    /// <summary>
    /// Converts a batch of raw uint8 images <c>[N, C, H, W]</c> to normalised float32 on the batch's device.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has a channel count that the statistics do not cover.</exception>
    public Tensor Apply(Tensor rawImages)
    {
        ArgumentNullException.ThrowIfNull(rawImages);
        if (rawImages.dtype != ScalarType.Byte)
        {
            throw new ArgumentException($"Apply takes raw uint8 images; got {rawImages.dtype} (use ApplyToUnitScale for float images in [0, 1]).", nameof(rawImages));
        }
        return Normalize(rawImages.to_type(ScalarType.Float32).div_(255f));
    }

    /// <summary>Normalises float32 images <c>[N, C, H, W]</c> already scaled to [0, 1]; returns a new tensor.</summary>
    public Tensor ApplyToUnitScale(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Normalize(images.clone());
    }

    /// <summary>Normalises <paramref name="scaled"/> in place, after checking the channel count.</summary>
    Tensor Normalize(Tensor scaled)
    {
        long channels = scaled.shape[1];
        if (Mean.Count != 1 && Mean.Count != channels)
        {
            scaled.Dispose();
            throw new ArgumentException(
                $"The normalisation has statistics for {Mean.Count} channels but the images have {channels}.", "images");
        }
        if (IsIdentity) return scaled;

        using Tensor mean = tensor(Mean.ToArray(), [1, Mean.Count, 1, 1], device: scaled.device);
        using Tensor std = tensor(Std.ToArray(), [1, Std.Count, 1, 1], device: scaled.device);
        return scaled.sub_(mean).div_(std);
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsIdentity ? "none" : $"mean [{Invariant(Mean)}], std [{Invariant(Std)}]";

    static string Invariant(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
