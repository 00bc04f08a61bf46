using FashionMnist.Baselines.Data;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Data;

public sealed class BatchIteratorTests
{
    static long[] Order(BatchIterator iterator, int epoch) =>
        iterator.Epoch(epoch).SelectMany(b => b.Indices.data<long>().ToArray()).ToArray();

    [Fact]
    public void Each_epoch_visits_every_sample_once_in_a_new_order()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([60, 40]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 32, Seed = 5 });

        long[] first = Order(iterator, 0);
        long[] second = Order(iterator, 1);

        first.Should().BeEquivalentTo(Enumerable.Range(0, 100).Select(i => (long)i));
        second.Should().BeEquivalentTo(first);
        second.Should().NotEqual(first, "each epoch reshuffles");
        first.Should().NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), "the order is shuffled");
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_order_and_another_seed_another()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([50, 50]);
        var a = new BatchIterator(set, new BatchOptions { BatchSize = 10, Seed = 5 });
        var b = new BatchIterator(set, new BatchOptions { BatchSize = 10, Seed = 5 });
        var c = new BatchIterator(set, new BatchOptions { BatchSize = 10, Seed = 6 });

        Order(a, 3).Should().Equal(Order(b, 3));
        Order(a, 3).Should().NotEqual(Order(c, 3));
    }

    [Theory]
    [InlineData(false, 4, new[] { 32, 32, 32, 4 })]
    [InlineData(true, 3, new[] { 32, 32, 32 })]
    public void The_last_partial_batch_is_kept_or_dropped(bool dropLast, int batches, int[] sizes)
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([50, 50]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 32, DropLast = dropLast });

        iterator.BatchesPerEpoch.Should().Be(batches);
        iterator.Epoch(0).Select(b => b.Count).Should().Equal(sizes);
        iterator.SamplesPerEpoch.Should().Be(sizes.Sum());
    }

    [Fact]
    public void Without_shuffling_the_order_is_the_set_order()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([5, 5]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 3, Shuffle = false });

        Order(iterator, 2).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public void Batches_hold_the_samples_they_name()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([30, 30]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 16, Seed = 1 });

        foreach (Batch batch in iterator.Epoch(0))
        {
            long[] indices = batch.Indices.data<long>().ToArray();
            float[] pixels = batch.Images[.., 0, 1, 2].data<float>().ToArray();
            pixels.Should().Equal(indices.Select(i => i / 255f), (x, y) => Math.Abs(x - y) < 1e-6);
            batch.Labels.data<long>().ToArray().Should().Equal(indices.Select(i => i < 30 ? 0L : 1L));
            batch.Images.device_type.Should().Be(DeviceType.CPU);
        }
    }

    [Fact]
    public void A_batch_is_disposed_when_the_iteration_moves_on()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([10, 10]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 8 });
        using IEnumerator<Batch> enumerator = iterator.Epoch(0).GetEnumerator();

        enumerator.MoveNext().Should().BeTrue();
        Batch first = enumerator.Current;
        first.Images.IsInvalid.Should().BeFalse();
        enumerator.MoveNext().Should().BeTrue();

        first.Images.IsInvalid.Should().BeTrue();
        first.Labels.IsInvalid.Should().BeTrue();
    }

    [Fact]
    public void Cancellation_stops_at_a_batch_boundary()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([50, 50]);
        var iterator = new BatchIterator(set, new BatchOptions { BatchSize = 10 });
        using var cancellation = new CancellationTokenSource();
        int seen = 0;

        var act = () =>
        {
            foreach (Batch _ in iterator.Epoch(0, cancellation.Token))
            {
                if (++seen == 3) cancellation.Cancel();
            }
        };

        act.Should().Throw<OperationCanceledException>();
        seen.Should().Be(3);
    }

    [Fact]
    public void A_batch_size_below_one_is_rejected()
    {
        using InMemoryDataset set = InMemoryDatasetTests.Synthetic([5, 5]);

        FluentActions.Invoking(() => new BatchIterator(set, new BatchOptions { BatchSize = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BatchSize*");
    }
}
