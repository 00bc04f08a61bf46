using FashionMnist.Baselines.Data;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Data;

public sealed class InMemoryDatasetTests
{
    static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>Image i has every pixel equal to i % 256; labels follow <paramref name="classCounts"/> in blocks.</summary>
    internal static InMemoryDataset Synthetic(int[] classCounts, ImageNormalization? normalization = null, int side = 4)
    {
        long[] labels = classCounts.SelectMany((count, c) => Enumerable.Repeat((long)c, count)).ToArray();
        int n = labels.Length;
        Tensor images = arange(n, dtype: ScalarType.Int64).remainder(256).to_type(ScalarType.Byte)
            .reshape(n, 1, 1, 1).expand(n, 1, side, side).contiguous();
        string[] names = Enumerable.Range(0, classCounts.Length).Select(c => $"class {c}").ToArray();
        return new InMemoryDataset(images, tensor(labels), names, normalization ?? ImageNormalization.None);
    }

    [Fact]
    public void Rejects_images_that_are_not_uint8_NCHW()
    {
        var act = () => new InMemoryDataset(zeros(2, 4, 4), tensor(new long[] { 0, 1 }), Classes);

        act.Should().Throw<ArgumentException>().WithMessage("*uint8 [N, C, H, W]*Float32*");
    }

    [Fact]
    public void Rejects_labels_outside_the_classes()
    {
        var act = () => new InMemoryDataset(zeros(2, 1, 4, 4, dtype: ScalarType.Byte), tensor(new long[] { 0, 3 }), Classes);

        act.Should().Throw<ArgumentException>().WithMessage("*0..2*found 0..3*");
    }

    [Fact]
    public void Rejects_counts_that_disagree()
    {
        var act = () => new InMemoryDataset(zeros(3, 1, 4, 4, dtype: ScalarType.Byte), tensor(new long[] { 0, 1 }), Classes);

        act.Should().Throw<ArgumentException>().WithMessage("*3 images but 2 labels*");
    }

    [Fact]
    public void GetBatch_gathers_normalises_and_keeps_positions()
    {
        using InMemoryDataset set = Synthetic([5, 5], new ImageNormalization([0.5f], [0.25f]));
        using Tensor indices = tensor(new long[] { 7, 2, 9 });

        using Batch batch = set.GetBatch(indices, CPU);

        batch.Images.shape.Should().Equal(3, 1, 4, 4);
        batch.Images.dtype.Should().Be(ScalarType.Float32);
        float[] expected = new[] { 7f, 2f, 9f }.Select(v => (v / 255f - 0.5f) / 0.25f).ToArray();
        batch.Images[.., 0, 0, 0].data<float>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-5);
        batch.Labels.data<long>().ToArray().Should().Equal(1, 0, 1);
        batch.Indices.data<long>().ToArray().Should().Equal(7, 2, 9);
    }

    [Fact]
    public void Stratified_split_gives_each_class_its_share_and_covers_every_sample_once()
    {
        using InMemoryDataset set = Synthetic([100, 60, 40]);

        (InMemoryDataset train, InMemoryDataset validation) = set.SplitStratified(20, seed: 7);
        using (train)
        using (validation)
        {
            validation.Count.Should().Be(20);
            train.Count.Should().Be(180);
            validation.ClassCounts().Should().Equal(10, 6, 4);
            train.ClassCounts().Should().Equal(90, 54, 36);
            // Image i has every pixel equal to i (fewer than 256 samples): the pixel identifies the sample.
            long[] Ids(InMemoryDataset d) => d.Images[.., 0, 0, 0].to_type(ScalarType.Int64).data<long>().ToArray();
            Ids(train).Should().BeInAscendingOrder("both parts keep the original order");
            Ids(train).Concat(Ids(validation)).Should().BeEquivalentTo(Enumerable.Range(0, 200).Select(i => (long)i));
        }
    }

    [Fact]
    public void Stratified_split_rounds_shares_so_that_the_total_is_exact()
    {
        using InMemoryDataset set = Synthetic([7, 7, 7]);

        (InMemoryDataset train, InMemoryDataset validation) = set.SplitStratified(10, seed: 1);
        using (train)
        using (validation)
        {
            validation.Count.Should().Be(10);
            validation.ClassCounts().Should().OnlyContain(c => c == 3 || c == 4);
        }
    }

    [Fact]
    public void Stratified_split_is_deterministic_per_seed()
    {
        using InMemoryDataset set = Synthetic([400, 400]);
        long[] ValidationPixels(long seed)
        {
            (InMemoryDataset train, InMemoryDataset validation) = set.SplitStratified(80, seed);
            using (train)
            using (validation)
            {
                return validation.Images[.., 0, 0, 0].to_type(ScalarType.Int64).data<long>().ToArray();
            }
        }

        ValidationPixels(3).Should().Equal(ValidationPixels(3));
        ValidationPixels(3).Should().NotEqual(ValidationPixels(4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Stratified_split_needs_a_proper_size(int size)
    {
        using InMemoryDataset set = Synthetic([5, 5]);

        FluentActions.Invoking(() => set.SplitStratified(size, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1..9*");
    }

    [Fact]
    public void SelectClasses_keeps_the_named_classes_relabelled_in_the_order_given()
    {
        using InMemoryDataset all = Synthetic([3, 4, 5]);

        using InMemoryDataset picked = all.SelectClasses("class 2", "class 0");

        picked.ClassNames.Should().Equal("class 2", "class 0");
        picked.ClassCounts().Should().Equal(5, 3);
        picked.Labels.data<long>().ToArray().Should().Equal([1L, 1, 1, 0, 0, 0, 0, 0], "original order kept, labels renumbered");
        picked.Images[3, 0, 0, 0].item<byte>().Should().Be(7, "the first image of class 2 was image 7");
        all.Invoking(a => a.SelectClasses("class 9")).Should().Throw<ArgumentException>().WithMessage("*'class 9' is not a class*class 0, class 1, class 2*");
        all.Invoking(a => a.SelectClasses("class 1", "class 1")).Should().Throw<ArgumentException>().WithMessage("*named twice*");
    }

    [Fact]
    public void SampleStratified_keeps_each_class_share_and_int32_labels_are_accepted()
    {
        using InMemoryDataset all = Synthetic([40, 20, 40]);

        using InMemoryDataset sample = all.SampleStratified(10, seed: 3);

        sample.ClassCounts().Should().Equal(4, 2, 4);
        using var int32 = new InMemoryDataset(zeros([3, 1, 2, 2], ScalarType.Byte), tensor(new int[] { 2, 0, 1 }), ["a", "b", "c"]);
        int32.Labels.dtype.Should().Be(ScalarType.Int64);
        int32.Labels.data<long>().ToArray().Should().Equal(2, 0, 1);
    }
}
