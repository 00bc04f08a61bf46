using FashionMnist.Baselines.Data;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Data;

public sealed class ImageNormalizationTests
{
    [Fact]
    public void FashionMnist_statistics_map_black_and_white_as_expected()
    {
        using Tensor raw = tensor(new byte[] { 0, 255 }, [1, 1, 1, 2]);

        using Tensor normalised = ImageNormalization.FashionMnist.Apply(raw);

        normalised.data<float>().ToArray().Should().Equal(
            [(0f - 0.2860f) / 0.3530f, (1f - 0.2860f) / 0.3530f], (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void None_only_scales_to_the_unit_interval()
    {
        using Tensor raw = tensor(new byte[] { 0, 51, 255 }, [1, 1, 1, 3]);

        using Tensor scaled = ImageNormalization.None.Apply(raw);

        scaled.data<float>().ToArray().Should().Equal([0f, 0.2f, 1f], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Per_channel_statistics_apply_per_channel()
    {
        using Tensor raw = full(new long[] { 1, 2, 1, 1 }, 255, dtype: ScalarType.Byte);

        // Channels that give different results: one channel's statistics used for both, or swapped, would show.
        using Tensor normalised = new ImageNormalization([0f, 0.5f], [1f, 0.25f]).Apply(raw);

        normalised.data<float>().ToArray().Should().Equal([1f, 2f], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Theory]
    [InlineData(new[] { 0.5f }, new[] { 0f }, "*std*positive*")]
    [InlineData(new[] { 0.5f, 0.5f }, new[] { 1f }, "*2 means and 1 stds*")]
    [InlineData(new[] { float.NaN }, new[] { 1f }, "*mean must be finite*")]
    public void Invalid_statistics_are_rejected(float[] mean, float[] std, string message)
    {
        FluentActions.Invoking(() => new ImageNormalization(mean, std)).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Apply_takes_raw_bytes_only_and_never_changes_float_input()
    {
        using Tensor floats = full(new long[] { 1, 1, 2, 2 }, 0.5f);

        FluentActions.Invoking(() => ImageNormalization.FashionMnist.Apply(floats)).Should().Throw<ArgumentException>().WithMessage("*uint8*Float32*");
        using Tensor normalised = ImageNormalization.FashionMnist.ApplyToUnitScale(floats);
        floats.eq(0.5f).all().item<bool>().Should().BeTrue("the input is left as it was");
        normalised[0, 0, 0, 0].item<float>().Should().BeApproximately((0.5f - 0.2860f) / 0.3530f, 1e-6f);
    }

    [Fact]
    public void Statistics_for_the_wrong_channel_count_are_rejected()
    {
        using Tensor raw = zeros(new long[] { 1, 3, 2, 2 }, dtype: ScalarType.Byte);

        FluentActions.Invoking(() => new ImageNormalization([0f, 0f], [1f, 1f]).Apply(raw))
            .Should().Throw<ArgumentException>().WithMessage("*2 channels but the images have 3*");
    }
}
