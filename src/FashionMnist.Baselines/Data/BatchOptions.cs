using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>How <see cref="BatchIterator"/> cuts a data set into mini-batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Samples per batch (at least 1). Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Whether each epoch visits the samples in a new random order. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling: the same seed and epoch number give the same order. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Whether to drop the last batch when it is smaller than <see cref="BatchSize"/>. Default false.</summary>
    public bool DropLast { get; init; }

    /// <summary>Device the batches are moved to. Default: the CPU.</summary>
    public Device Device { get; init; } = CPU;
}
