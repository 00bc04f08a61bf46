using FashionMnist.Baselines.Data;

namespace FashionMnist.Baselines.Bench;

/// <summary>The data the benchmarks train and time on.</summary>
internal static class BenchData
{
    /// <summary>
    /// The 60,000 Fashion-MNIST training images, which the commands that need images cut down with <c>Take</c>. Each of
    /// those commands loads it first thing (so resident-memory figures such as speed's peak_rss_mb still include it);
    /// the others (conv, no-gc-memory, finalizer-race) never load it, so they run where the data set is absent and
    /// do not pay its loading time and memory.
    /// </summary>
    public static InMemoryDataset LoadTrainingSet() => FashionMnistDataset.Load(FashionMnistPart.Train);
}
