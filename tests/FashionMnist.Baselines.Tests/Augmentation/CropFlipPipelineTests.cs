using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Augmentation;

public sealed class CropFlipPipelineTests
{
    /// <summary>Reference: pad with fill, then copy the window at (top, left), pixel by pixel, on a small known tensor.</summary>
    static float[,,] ReferenceCrop(float[,,] image, int padding, float fill, int top, int left)
    {
        int c = image.GetLength(0), h = image.GetLength(1), w = image.GetLength(2);
        var result = new float[c, h, w];
        for (int k = 0; k < c; k++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int y = top + i - padding, x = left + j - padding;
                    result[k, i, j] = y >= 0 && y < h && x >= 0 && x < w ? image[k, y, x] : fill;
                }
        return result;
    }

    [Fact]
    public void Crop_agrees_with_a_reference_computation_for_every_offset()
    {
        using var scope = NewDisposeScope();
        const int padding = 2;
        var crop = new RandomCrop(padding, fill: -1f);
        var values = new float[2, 4, 5];
        for (int k = 0; k < 2; k++) for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) values[k, i, j] = 100 * k + 10 * i + j;
        int offsets = 2 * padding + 1;
        // One image per (top, left) pair.
        long count = offsets * offsets;
        Tensor image = tensor(values.Cast<float>().ToArray(), [1, 2, 4, 5]).expand(count, 2, 4, 5).contiguous();
        Tensor top = arange(count).div(offsets, RoundingMode.floor), left = arange(count).remainder(offsets);

        Tensor output = crop.Crop(image, top, left);

        for (int n = 0; n < count; n++)
        {
            float[,,] expected = ReferenceCrop(values, padding, -1f, n / offsets, n % offsets);
            output[n].data<float>().ToArray().Should().Equal(expected.Cast<float>(), $"offset ({n / offsets}, {n % offsets})");
        }
    }

    [Fact]
    public void Random_crop_uses_every_offset_and_keeps_the_shape()
    {
        using var scope = NewDisposeScope();
        Tensor images = arange(28 * 28, dtype: ScalarType.Float32).view(1, 1, 28, 28).expand(2000, 1, 28, 28).contiguous();

        Tensor output = new RandomCrop(4).Apply(images, new Generator(1));

        output.shape.Should().Equal(2000, 1, 28, 28);
        // The centre pixel (14, 14) of the crop comes from (10..18, 10..18): 81 different values.
        output[.., 0, 14, 14].unique().Item1.shape[0].Should().Be(81);
    }

    [Fact]
    public void Flip_mirrors_each_image_on_its_own_coin()
    {
        using var scope = NewDisposeScope();
        Tensor images = rand(1000, 1, 3, 4, generator: new Generator(1));

        Tensor output = new RandomHorizontalFlip().Apply(images, new Generator(2));

        Tensor same = output.eq(images).flatten(1).all(1);
        Tensor mirrored = output.eq(images.flip(3)).flatten(1).all(1);
        same.logical_or(mirrored).all().item<bool>().Should().BeTrue("each image is either itself or its mirror");
        double flipped = mirrored.to_type(ScalarType.Float64).mean().item<double>();
        flipped.Should().BeApproximately(0.5, 4 * Math.Sqrt(0.25 / 1000));
        // Reference: the mirror of a known row.
        Tensor row = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 1, 4]);
        new RandomHorizontalFlip(1.0).Apply(row, new Generator(0)).data<float>().ToArray().Should().Equal(4f, 3f, 2f, 1f);
        new RandomHorizontalFlip(0.0).Apply(row, new Generator(0)).data<float>().ToArray().Should().Equal(1f, 2f, 3f, 4f);
    }

    [Fact]
    public void Resize_replicate_and_normalize_have_the_expected_shapes_and_values()
    {
        using var scope = NewDisposeScope();
        Tensor images = full(new long[] { 2, 1, 28, 28 }, 0.5f);
        var pipeline = new AugmentationPipeline(
            new Normalize(new ImageNormalization([0.25f], [0.5f])), new Resize(56, 56), new ReplicateChannels(3));

        Tensor output = pipeline.Apply(images, new Generator(0));

        output.shape.Should().Equal(2, 3, 56, 56);
        output.eq(0.5f).all().item<bool>().Should().BeTrue("(0.5 - 0.25) / 0.5 = 0.5 everywhere, resized and copied");
        pipeline.ToString().Should().Be("Normalize(mean [0.25], std [0.5]) -> Resize(56x56, bilinear) -> ReplicateChannels(3)");
    }

    [Fact]
    public void The_recipe_pads_with_normalised_black_and_is_repeatable()
    {
        using var scope = NewDisposeScope();
        var recipe = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist);
        Tensor images = rand(256, 1, 28, 28, generator: new Generator(3));

        Tensor a = recipe.Apply(images, new Generator(4));
        Tensor b = recipe.Apply(images, new Generator(4));

        a.eq(b).all().item<bool>().Should().BeTrue();
        ((RandomCrop)recipe.Transforms[0]).Fill.Should().BeApproximately(-0.2860f / 0.3530f, 1e-6f);
        recipe.Transforms.Select(t => t.GetType()).Should().Equal(typeof(RandomCrop), typeof(RandomHorizontalFlip), typeof(RandomErasing));
    }

    [Fact]
    public void A_pipeline_prints_every_setting_that_changes_its_output()
    {
        var recipe = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.None, probability: 0.25);

        recipe.ToString().Should().Be("RandomCrop(padding 4, fill 0) -> RandomHorizontalFlip(p 0.5) -> " +
            "RandomErasing(p 0.25, area 0.02-0.4, aspect from 0.3, 100 attempts, fill constant 0.4914)");
        new RandomErasing(fill: RandomErasingFill.Random, randomLow: -1, randomHigh: 1).ToString().Should().EndWith("fill random [-1, 1))");
        new AugmentationPipeline().ToString().Should().Be("none");
    }

    [Fact]
    public void An_empty_pipeline_returns_a_copy()
    {
        using var scope = NewDisposeScope();
        Tensor images = rand(2, 1, 4, 4);

        Tensor output = new AugmentationPipeline().Apply(images, new Generator(0));

        ReferenceEquals(output, images).Should().BeFalse();
        output.eq(images).all().item<bool>().Should().BeTrue();
    }
}
