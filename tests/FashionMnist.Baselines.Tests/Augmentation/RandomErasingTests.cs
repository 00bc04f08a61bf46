using FashionMnist.Baselines.Augmentation;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Augmentation;

public sealed class RandomErasingTests
{
    const int Images = 4000;
    const int Side = 28;

    /// <summary>Distinct random values in [-3, -1): a fill of 5 or a random fill in [10, 11) can never be mistaken for them.</summary>
    static Tensor Inputs(long seed, int count = Images, int channels = 1)
    {
        using var generator = new Generator((ulong)seed);
        return rand([count, channels, Side, Side], generator: generator) * 2 - 3;
    }

    /// <summary>The changed pixels of each image: count, and bounding box (top, left, height, width).</summary>
    static (long[] Count, long[] Top, long[] Left, long[] Height, long[] Width) Changes(Tensor before, Tensor after)
    {
        using var scope = NewDisposeScope();
        Tensor changed = before.ne(after).any(1); // [B, H, W]
        Tensor anyRow = changed.any(2), anyColumn = changed.any(1); // [B, H], [B, W]
        Tensor index = arange(Side).unsqueeze(0);
        Tensor big = full(1, Side, 1000L);
        Tensor top = where(anyRow, index, big).min(1).values, bottom = where(anyRow, index, -big).max(1).values;
        Tensor left = where(anyColumn, index, big).min(1).values, right = where(anyColumn, index, -big).max(1).values;
        long[] L(Tensor t) => t.to_type(ScalarType.Int64).data<long>().ToArray();
        return (L(changed.sum([1, 2])), L(top), L(left), L(bottom - top + 1), L(right - left + 1));
    }

    [Fact]
    public void The_erased_fraction_matches_p_within_a_binomial_tolerance()
    {
        foreach (double p in new[] { 0.5, 0.2 })
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(1);
            Tensor input = Inputs(1);
            Tensor output = new RandomErasing(p, constant: [5f]).Apply(input, generator);

            double fraction = output.ne(input).any(3).any(2).any(1).to_type(ScalarType.Float64).mean().item<double>();
            double tolerance = 4 * Math.Sqrt(p * (1 - p) / Images); // four standard deviations
            fraction.Should().BeApproximately(p, tolerance, $"p = {p}");
        }
    }

    [Fact]
    public void Every_rectangle_is_a_full_box_inside_the_image_with_area_and_aspect_in_range()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2);
        var erasing = new RandomErasing(1.0, constant: [5f]);
        Tensor input = Inputs(2);
        Tensor output = erasing.Apply(input, generator);
        (long[] count, long[] top, long[] left, long[] height, long[] width) = Changes(input, output);
        double imageArea = Side * Side;

        int erased = 0;
        for (int i = 0; i < Images; i++)
        {
            if (count[i] == 0) continue;
            erased++;
            long h = height[i], w = width[i];
            count[i].Should().Be(h * w, "the changed pixels form one solid rectangle");
            top[i].Should().BeGreaterThanOrEqualTo(0);
            left[i].Should().BeGreaterThanOrEqualTo(0);
            (top[i] + h).Should().BeLessThanOrEqualTo(Side);
            (left[i] + w).Should().BeLessThanOrEqualTo(Side);
            h.Should().BeLessThan(Side);
            w.Should().BeLessThan(Side);
            // h = round(sqrt(S r)), w = round(sqrt(S / r)): S and r lie within the rounding of h and w.
            ((h - 0.5) * (w - 0.5)).Should().BeLessThanOrEqualTo(0.4 * imageArea);
            ((h + 0.5) * (w + 0.5)).Should().BeGreaterThanOrEqualTo(0.02 * imageArea);
            ((h - 0.5) / (w + 0.5)).Should().BeLessThanOrEqualTo(1 / 0.3);
            ((h + 0.5) / (w - 0.5)).Should().BeGreaterThanOrEqualTo(0.3);
        }
        erased.Should().BeGreaterThan(Images * 99 / 100, "with p = 1 and 100 attempts almost every image is erased");
    }

    [Fact]
    public void Drawn_rectangles_match_what_is_erased_and_cover_the_area_range()
    {
        using var scope = NewDisposeScope();
        var erasing = new RandomErasing(1.0, constant: [5f]);
        using var drawGenerator = new Generator(3);
        using ErasingRectangles boxes = erasing.DrawRectangles(Images, Side, Side, drawGenerator);
        using var applyGenerator = new Generator(3);
        Tensor input = Inputs(3);
        (long[] count, long[] top, long[] left, long[] height, long[] width) = Changes(input, erasing.Apply(input, applyGenerator));

        boxes.Top.data<long>().ToArray().Where((_, i) => count[i] > 0).Should().Equal(top.Where((_, i) => count[i] > 0));
        boxes.Left.data<long>().ToArray().Where((_, i) => count[i] > 0).Should().Equal(left.Where((_, i) => count[i] > 0));
        boxes.Height.data<long>().ToArray().Should().Equal(height.Select((h, i) => count[i] > 0 ? h : 0));
        boxes.Width.data<long>().ToArray().Should().Equal(width.Select((w, i) => count[i] > 0 ? w : 0));
        double[] areas = height.Zip(width, (h, w) => (double)h * w / (Side * Side)).Where((_, i) => count[i] > 0).ToArray();
        areas.Min().Should().BeLessThan(0.04, "small areas near sl occur");
        areas.Max().Should().BeGreaterThan(0.3, "large areas near sh occur");
    }

    [Fact]
    public void Rectangles_differ_between_images_of_one_batch()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        using ErasingRectangles boxes = new RandomErasing(1.0).DrawRectangles(64, Side, Side, generator);

        var distinct = Enumerable.Range(0, 64)
            .Select(i => (boxes.Top[i].item<long>(), boxes.Left[i].item<long>(), boxes.Height[i].item<long>(), boxes.Width[i].item<long>()))
            .Distinct().Count();
        distinct.Should().BeGreaterThan(55);
    }

    [Fact]
    public void Images_not_chosen_are_untouched_and_fill_values_are_as_configured()
    {
        using var scope = NewDisposeScope();
        Tensor input = Inputs(5, 500, channels: 2);

        Tensor constant = new RandomErasing(0.5, constant: [5f, 7f]).Apply(input, new Generator(5));
        Tensor zeroFill = new RandomErasing(0.5, fill: RandomErasingFill.Zeros).Apply(input, new Generator(5));
        Tensor random = new RandomErasing(0.5, fill: RandomErasingFill.Random, randomLow: 10f, randomHigh: 11f).Apply(input, new Generator(5));

        Tensor changed = constant.ne(input);
        constant[.., 0].masked_select(changed[.., 0]).unique().Item1.data<float>().ToArray().Should().Equal(5f);
        constant[.., 1].masked_select(changed[.., 1]).unique().Item1.data<float>().ToArray().Should().Equal(7f);
        zeroFill.masked_select(zeroFill.ne(input)).unique().Item1.data<float>().ToArray().Should().Equal(0f);
        Tensor randomValues = random.masked_select(random.ne(input));
        randomValues.min().item<float>().Should().BeGreaterThanOrEqualTo(10f);
        randomValues.max().item<float>().Should().BeLessThan(11f);
        randomValues.unique().Item1.shape[0].Should().BeGreaterThan(1000, "random values per pixel");
        // Unchosen images are bit-for-bit the input, and a chosen image changes only inside its rectangle.
        Tensor untouched = changed.any(3).any(2).any(1).logical_not();
        untouched.sum().item<long>().Should().BeInRange(180, 320);
        constant[untouched].eq(input[untouched]).all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void The_same_seed_gives_the_same_output_and_another_seed_another()
    {
        using var scope = NewDisposeScope();
        Tensor input = Inputs(6, 256);
        var erasing = new RandomErasing();

        Tensor a = erasing.Apply(input, new Generator(9));
        Tensor b = erasing.Apply(input, new Generator(9));
        Tensor c = erasing.Apply(input, new Generator(10));

        a.eq(b).all().item<bool>().Should().BeTrue();
        a.eq(c).all().item<bool>().Should().BeFalse();
    }

    [Fact]
    public void The_input_tensor_is_not_modified()
    {
        using var scope = NewDisposeScope();
        Tensor input = Inputs(7, 64);
        Tensor copy = input.clone();

        new RandomErasing(1.0).Apply(input, new Generator(1));

        input.eq(copy).all().item<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData(-0.1, 0.02, 0.4, 0.3, 100, "probability")]
    [InlineData(1.1, 0.02, 0.4, 0.3, 100, "probability")]
    [InlineData(0.5, 0, 0.4, 0.3, 100, "minArea")]
    [InlineData(0.5, 0.5, 0.4, 0.3, 100, "minArea")]
    [InlineData(0.5, 0.02, 1.0, 0.3, 100, "minArea")]
    [InlineData(0.5, 0.02, 0.4, 0, 100, "minAspect")]
    [InlineData(0.5, 0.02, 0.4, 1.5, 100, "minAspect")]
    [InlineData(0.5, 0.02, 0.4, 0.3, 0, "maxAttempts")]
    public void Invalid_parameters_are_rejected_by_name(double p, double sl, double sh, double r1, int attempts, string parameter)
    {
        FluentActions.Invoking(() => new RandomErasing(p, sl, sh, r1, attempts))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == parameter);
    }
}
