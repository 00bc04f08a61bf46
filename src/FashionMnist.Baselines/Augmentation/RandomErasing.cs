using System.Globalization;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Random Erasing (Zhong et al. 2017), exactly as the reference: each image independently, with probability p, gets
/// one rectangle erased. Up to <see cref="MaxAttempts"/> attempts draw a target area <c>U(sl, sh) * H * W</c> and an
/// aspect ratio <c>U(r1, 1/r1)</c>, giving <c>h = round(sqrt(area * aspect))</c> and
/// <c>w = round(sqrt(area / aspect))</c>; the first attempt with <c>h &lt; H</c> and <c>w &lt; W</c> is used, at a
/// top-left corner drawn uniformly so that the rectangle fits. An image with no fitting attempt is left as it is.
/// All images and attempts are drawn at once as tensors.
/// </summary>
public sealed class RandomErasing : IBatchTransform
{
    /// <summary>Creates the transform with the reference defaults (p 0.5, area 0.02..0.4, r1 0.3, 100 attempts, constant 0.4914).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public RandomErasing(
        double probability = 0.5,
        double minArea = 0.02,
        double maxArea = 0.4,
        double minAspect = 0.3,
        int maxAttempts = 100,
        RandomErasingFill fill = RandomErasingFill.Constant,
        IReadOnlyList<float>? constant = null,
        float randomLow = 0f,
        float randomHigh = 1f)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "p must be in [0, 1].");
        if (!(minArea > 0 && minArea <= maxArea && maxArea < 1))
            throw new ArgumentOutOfRangeException(nameof(minArea), $"sl {minArea}, sh {maxArea}", "The area range needs 0 < sl <= sh < 1.");
        if (!(minAspect > 0 && minAspect <= 1))
            throw new ArgumentOutOfRangeException(nameof(minAspect), minAspect, "r1 must be in (0, 1]; aspect ratios are drawn from [r1, 1/r1].");
        if (maxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt is needed.");
        if (!Enum.IsDefined(fill))
            throw new ArgumentOutOfRangeException(nameof(fill), fill, "Unknown fill mode.");
        constant ??= [0.4914f];
        if (constant.Count == 0 || constant.Any(v => !float.IsFinite(v)))
            throw new ArgumentOutOfRangeException(nameof(constant), "The constant fill needs one finite value per channel (or one for all).");
        if (!(float.IsFinite(randomLow) && float.IsFinite(randomHigh) && randomLow < randomHigh))
            throw new ArgumentOutOfRangeException(nameof(randomLow), $"[{randomLow}, {randomHigh})", "The random fill range needs finite low < high.");

        Probability = probability;
        MinArea = minArea;
        MaxArea = maxArea;
        MinAspect = minAspect;
        MaxAttempts = maxAttempts;
        Fill = fill;
        Constant = constant.ToArray();
        RandomLow = randomLow;
        RandomHigh = randomHigh;
    }

    /// <summary>p: chance that an image is erased.</summary>
    public double Probability { get; }

    /// <summary>sl: smallest erased area, as a fraction of the image.</summary>
    public double MinArea { get; }

    /// <summary>sh: largest erased area, as a fraction of the image.</summary>
    public double MaxArea { get; }

    /// <summary>r1: aspect ratios are drawn from [r1, 1/r1].</summary>
    public double MinAspect { get; }

    /// <summary>Attempts to find a rectangle that fits.</summary>
    public int MaxAttempts { get; }

    /// <summary>What fills the rectangle.</summary>
    public RandomErasingFill Fill { get; }

    /// <summary>Per-channel constants for <see cref="RandomErasingFill.Constant"/> (one value serves every channel).</summary>
    public IReadOnlyList<float> Constant { get; }

    /// <summary>Lower bound of <see cref="RandomErasingFill.Random"/> values.</summary>
    public float RandomLow { get; }

    /// <summary>Upper bound (exclusive) of <see cref="RandomErasingFill.Random"/> values.</summary>
    public float RandomHigh { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (Fill == RandomErasingFill.Constant && Constant.Count != 1 && Constant.Count != c)
        {
            throw new ArgumentException($"The constant fill has {Constant.Count} values but the images have {c} channels.", nameof(images));
        }

        using var scope = NewDisposeScope();
        ErasingRectangles boxes = DrawRectangles(b, h, w, generator);
        Device device = images.device;
        Tensor rows = arange(h, device: device).view(1, h, 1);
        Tensor columns = arange(w, device: device).view(1, 1, w);
        Tensor top = boxes.Top.to(device).view(b, 1, 1), left = boxes.Left.to(device).view(b, 1, 1);
        Tensor height = boxes.Height.to(device).view(b, 1, 1), width = boxes.Width.to(device).view(b, 1, 1);
        Tensor mask = rows.ge(top).logical_and(rows.lt(top + height))
            .logical_and(columns.ge(left)).logical_and(columns.lt(left + width))
            .logical_and(boxes.Erased.to(device).view(b, 1, 1))
            .unsqueeze(1); // [B, 1, H, W], broadcast over channels

        Tensor fill = Fill switch
        {
            RandomErasingFill.Constant => tensor(Constant.ToArray(), device: device).view(1, -1, 1, 1).to_type(images.dtype),
            RandomErasingFill.Zeros => zeros(1, device: device, dtype: images.dtype),
            _ => (rand(images.shape, generator: generator) * (RandomHigh - RandomLow) + RandomLow).to(device).to_type(images.dtype),
        };
        return where(mask, fill, images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string fill = Fill switch
        {
            RandomErasingFill.Constant => "constant " + string.Join(", ", Constant.Select(v => v.ToString(CultureInfo.InvariantCulture))),
            RandomErasingFill.Random => FormattableString.Invariant($"random [{RandomLow}, {RandomHigh})"),
            _ => "zeros",
        };
        return FormattableString.Invariant(
            $"RandomErasing(p {Probability}, area {MinArea}-{MaxArea}, aspect from {MinAspect}, {MaxAttempts} attempts, fill {fill})");
    }

    /// <summary>
    /// Draws the rectangles for a batch of <paramref name="batch"/> images of <paramref name="height"/> x
    /// <paramref name="width"/>, on the CPU. Images that are not erased have <c>Erased</c> false and a zero-sized box.
    /// </summary>
    internal ErasingRectangles DrawRectangles(long batch, long height, long width, Generator generator)
    {
        using var scope = NewDisposeScope();
        double imageArea = height * width;
        Tensor chosen = rand([batch], generator: generator).lt(Probability);
        Tensor area = (rand([batch, MaxAttempts], dtype: ScalarType.Float64, generator: generator) * (MaxArea - MinArea) + MinArea) * imageArea;
        Tensor aspect = rand([batch, MaxAttempts], dtype: ScalarType.Float64, generator: generator) * (1 / MinAspect - MinAspect) + MinAspect;
        Tensor h = (area * aspect).sqrt().round().to_type(ScalarType.Int64);
        Tensor w = (area / aspect).sqrt().round().to_type(ScalarType.Int64);
        Tensor fits = h.lt(height).logical_and(w.lt(width)).logical_and(h.gt(0)).logical_and(w.gt(0));

        // The first attempt that fits: argmax over a 0/1 tensor returns the first maximum.
        Tensor first = fits.to_type(ScalarType.Int32).argmax(1, keepdim: true);
        Tensor erased = chosen.logical_and(fits.any(1));
        Tensor boxHeight = h.gather(1, first).squeeze(1).where(erased, 0L);
        Tensor boxWidth = w.gather(1, first).squeeze(1).where(erased, 0L);

        // Top-left corner uniform over the positions where the box fits (Python's randint(0, H - h) is inclusive).
        Tensor top = (rand([batch], dtype: ScalarType.Float64, generator: generator) * (height - boxHeight + 1)).floor().to_type(ScalarType.Int64);
        Tensor left = (rand([batch], dtype: ScalarType.Float64, generator: generator) * (width - boxWidth + 1)).floor().to_type(ScalarType.Int64);
        return new ErasingRectangles(
            erased.MoveToOuterDisposeScope(), top.MoveToOuterDisposeScope(), left.MoveToOuterDisposeScope(),
            boxHeight.MoveToOuterDisposeScope(), boxWidth.MoveToOuterDisposeScope());
    }
}
