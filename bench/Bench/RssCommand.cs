using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Bench;

/// <summary><c>Bench rss</c>: resident and managed memory after every epoch of the CNN.</summary>
internal static class RssCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        int epochs = options.Int("epochs") ?? 10;
        int images = options.Int("images") ?? 10_000;
        using InMemoryDataset train = full.Take(images);
        // As the CLI runs by default; --collect forces a full collection before each reading (the figure without the
        // garbage the runtime has not yet collected).
        var probe = new RssProbe(options.Has("collect"));
        using TrainedModel _ = new Trainer().Fit(new CnnFactory(), train, null,
            new TrainerOptions { Epochs = epochs, BatchSize = 100, Optimizer = OptimizerSettings.KerasAdadelta() }, [probe]);
        double second = probe.Rss[1], last = probe.Rss[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT rss epochs={epochs} images={images} rss_mb_per_epoch=[{string.Join(", ", probe.Rss.Select(r => (r / 1e6).ToString("F0", CultureInfo.InvariantCulture)))}] epoch2_mb={second / 1e6:F0} last_mb={last / 1e6:F0} change_pct={(last / second - 1) * 100:F2} " +
            $"managed_mb_per_epoch=[{string.Join(", ", probe.Managed.Select(r => (r / 1e6).ToString("F0", CultureInfo.InvariantCulture)))}] gen2_collections={GC.CollectionCount(2)} forced_collect={probe.Collect}"));
    }

    sealed class RssProbe(bool collect) : ITrainingCallback
    {
        public bool Collect { get; } = collect;

        public List<double> Rss { get; } = [];

        public List<double> Managed { get; } = [];

        public void OnEpochEnd(TrainingContext context, EpochRecord record)
        {
            if (Collect)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            using var process = Process.GetCurrentProcess();
            Rss.Add(process.WorkingSet64);
            Managed.Add(GC.GetTotalMemory(forceFullCollection: false));
        }
    }
}
