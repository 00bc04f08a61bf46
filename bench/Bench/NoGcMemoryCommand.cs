using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench no-gc-memory</c>: the .NET behaviour behind NoCollectionRegion.CollectAfterAllocating: memory allocated
/// inside no-GC regions stays resident until an induced collection. The same loop (a region per item, 4 KB of small
/// arrays inside each) runs three ways: bare regions, through NoCollectionRegion.Each (regions plus its periodic
/// collection), and without regions.
/// </summary>
internal static class NoGcMemoryCommand
{
    public static void Run(BenchArguments options)
    {
        int regions = options.Int("regions") ?? 100_000;
        object? sink = null;
        void Work() { for (int k = 0; k < 20; k++) sink = new byte[200]; }
        double Rss() { using var process = Process.GetCurrentProcess(); return process.WorkingSet64 / 1e6; }
        string Measure(string name, Action loop)
        {
            GC.Collect();
            double start = Rss();
            loop();
            double end = Rss();
            return string.Create(CultureInfo.InvariantCulture, $"{name}_start_mb={start:F0} {name}_end_mb={end:F0} ");
        }
        string bare = Measure("bare_regions", () =>
        {
            for (int i = 0; i < regions; i++)
            {
                bool started = GC.TryStartNoGCRegion(NoCollectionRegion.AllocationBudget, disallowFullBlockingGC: true);
                Work();
                if (started && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
        });
        long collections = NoCollectionRegion.Collections;
        string each = Measure("each", () => { foreach (int _ in NoCollectionRegion.Each(Enumerable.Range(0, regions))) Work(); });
        string none = Measure("no_regions", () => { for (int i = 0; i < regions; i++) Work(); });
        GC.KeepAlive(sink);
        Console.WriteLine($"RESULT no-gc-memory regions={regions} allocated_mb={regions * 20 * 224 / 1e6:F0} {bare}{each}{none}each_collections={NoCollectionRegion.Collections - collections}");
    }
}
