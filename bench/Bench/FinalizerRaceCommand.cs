using System.Diagnostics;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench finalizer-race</c>: tensor.add(other, alpha: 0.5) converts 0.5 to a finalizable Scalar that nothing
/// references once its handle has been passed to native code; a garbage collection started by another thread during
/// that call can run its finalizer, which frees the native Scalar while LibTorch still reads it. This loop makes such
/// collections frequent to show the race (and, with --guard, that NoCollectionRegion prevents it).
/// </summary>
internal static class FinalizerRaceCommand
{
    public static void Run(BenchArguments options)
    {
        int seconds = options.Int("seconds") ?? 60;
        bool guard = options.Has("guard");
        using Tensor a = randn(256), b = randn(256);
        bool stop = false;
        // --allocate: the other thread allocates (collections come from allocation budgets) instead of calling GC.Collect;
        // --quiet: no other thread (measures what the guard costs).
        bool allocate = options.Has("allocate"), quiet = options.Has("quiet");
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                if (allocate) GC.KeepAlive(new byte[256]);
                else GC.Collect(0);
            }
        }) { IsBackground = true };
        if (!quiet) collector.Start();
        long calls = 0;
        var clock = Stopwatch.StartNew();
        string outcome = "no error";
        try
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                using var region = guard ? new NoCollectionRegion() : null;
                using TorchSharp.DisposeScope scope = NewDisposeScope();
                for (int i = 0; i < 100; i++, calls++) a.add(b, alpha: 0.5);
            }
        }
        catch (Exception e)
        {
            outcome = e.GetType().Name + ": " + e.Message.Split('\n')[0];
        }
        Volatile.Write(ref stop, true);
        if (!quiet) collector.Join();
        Console.WriteLine($"RESULT finalizer_race guard={guard} seconds={clock.Elapsed.TotalSeconds:F1} calls={calls} gen0={GC.CollectionCount(0)} outcome={outcome}");
    }
}
