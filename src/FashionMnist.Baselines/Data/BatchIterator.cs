using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// Cuts an <see cref="IDataset"/> into mini-batches, epoch after epoch. Each epoch has its own order, derived from the
/// seed and the epoch number, so that epochs differ, runs repeat, and a resumed run sees the order it would have seen.
/// Batches are slices of the in-memory tensors (one gather per batch), not one tensor per sample.
/// </summary>
/// <remarks>
/// Each <see cref="Batch"/> is disposed when the iteration moves to the next one (or ends), so memory stays flat.
/// </remarks>
public sealed class BatchIterator
{
    readonly IDataset _dataset;

    /// <summary>Creates an iterator over <paramref name="dataset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BatchOptions.BatchSize"/> is below 1.</exception>
    public BatchIterator(IDataset dataset, BatchOptions options)
    {
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        }
        ArgumentNullException.ThrowIfNull(options.Device, nameof(options.Device));
    }

    /// <summary>The options this iterator uses.</summary>
    public BatchOptions Options { get; }

    /// <summary>Number of batches one epoch yields.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? _dataset.Count / Options.BatchSize
        : _dataset.Count / Options.BatchSize + (_dataset.Count % Options.BatchSize == 0 ? 0 : 1); // no overflow near int.MaxValue

    /// <summary>Number of samples one epoch yields.</summary>
    public int SamplesPerEpoch => Options.DropLast ? BatchesPerEpoch * Options.BatchSize : _dataset.Count;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the samples (int64, CPU). The caller disposes it.</summary>
    public Tensor Order(int epoch)
    {
        if (!Options.Shuffle) return arange(_dataset.Count, dtype: ScalarType.Int64);
        using var generator = new Generator(EpochSeed(Options.Seed, epoch));
        return randperm(_dataset.Count, generator: generator);
    }

    /// <summary>Yields the batches of epoch <paramref name="epoch"/> (0-based), checking for cancellation between batches.</summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "The epoch number must not be negative.");
        return Iterate(epoch, cancellationToken);
    }

    IEnumerable<Batch> Iterate(int epoch, CancellationToken cancellationToken)
    {
        Tensor order = Order(epoch).DetachFromDisposeScope();
        try
        {
            int size = Options.BatchSize;
            for (int b = 0; b < BatchesPerEpoch; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * size;
                int length = Math.Min(size, _dataset.Count - start);
                Batch batch;
                using (Tensor slice = order.narrow(0, start, length))
                {
                    batch = _dataset.GetBatch(slice, Options.Device);
                }
                try
                {
                    yield return batch;
                }
                finally
                {
                    batch.Dispose();
                }
            }
        }
        finally
        {
            order.Dispose();
        }
    }

    /// <summary>Mixes seed and epoch (SplitMix64) so that neighbouring epochs get unrelated orders.</summary>
    internal static ulong EpochSeed(long seed, int epoch)
    {
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(epoch + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
