using System.Runtime;

namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Keeps the .NET garbage collector from running while one training or evaluation step runs.
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107 turns every <c>double</c> given to a tensor operation (the optimizers' learning rate, momentum
/// and weight decay, <c>tensor * 0.5</c>, ...) into a <c>Scalar</c> with a finalizer that nothing references once its
/// native handle has been passed to LibTorch. A collection started during that native call (by any thread) can queue the
/// Scalar for finalization, and the finalizer thread can free the native scalar while LibTorch is still reading it.
/// LibTorch then fails with "Expected false to be true ... toFloat at c10/core/Scalar.h" (glibc has overwritten the
/// freed scalar's type tag), or worse, computes with garbage. It happened here in <c>SGD.step</c> after 17 epochs of
/// ResNet-20 (dotnet/TorchSharp pull requests 1434 and 1496 are about disposing these Scalars). Inside a no-GC region
/// no collection runs, so no Scalar created during the step can be finalized before the step ends.
/// The region ends early, and the protection with it, only if the process allocates more than
/// <see cref="AllocationBudget"/> of managed memory during one step.
/// <para>
/// The collections that open the regions do not give back the memory allocated inside them (seen with .NET 10's
/// workstation GC: a loop of regions grows the resident set by about the bytes it allocates, while the GC's committed
/// size stays the same, until an induced collection). A 100-epoch seed-CNN run grew by 20-35 MB per epoch to over
/// 2 GB this way. So <see cref="Each"/> runs one full collection between two items, outside any region, after every
/// <see cref="CollectAfterAllocating"/> of managed allocation (docs/benchmarks.md, "Memory over epochs").
/// </para>
/// </remarks>
internal sealed class NoCollectionRegion : IDisposable
{
    /// <summary>Managed bytes that all threads together may allocate during one step (a step stays inside it: NoCollectionRegionTests).</summary>
    internal const long AllocationBudget = 16L << 20;

    /// <summary>Managed bytes allocated (all threads) after which <see cref="Each"/> runs a full collection between two items.</summary>
    internal const long CollectAfterAllocating = 16L << 20;

    static long s_allocatedAtLastCollection;
    static long s_collections;

    readonly bool _started;

    /// <summary>The full collections <see cref="Each"/> has run so far in this process (for tests and diagnostics).</summary>
    internal static long Collections => Interlocked.Read(ref s_collections);

    public NoCollectionRegion()
    {
        // Nested regions are not allowed by the runtime; the outer one already protects this step.
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return;
        try
        {
            _started = GC.TryStartNoGCRegion(AllocationBudget, disallowFullBlockingGC: true);
        }
        catch (InvalidOperationException)
        {
            // Another thread started a region between the check and the call: that one protects this step too.
        }
    }

    /// <summary>
    /// Yields the items of <paramref name="items"/>, each in its own region, open from before the item is made (cutting a
    /// batch passes numbers to LibTorch too) until the caller asks for the next one, so the caller's work on it is covered.
    /// </summary>
    public static IEnumerable<T> Each<T>(IEnumerable<T> items)
    {
        using IEnumerator<T> enumerator = items.GetEnumerator();
        while (true)
        {
            CollectIfDue();
            using var region = new NoCollectionRegion();
            if (!enumerator.MoveNext()) yield break;
            yield return enumerator.Current;
        }
    }

    /// <summary>
    /// Runs a full, blocking collection when <see cref="CollectAfterAllocating"/> bytes have been allocated since the
    /// last one, unless a region is open (an outer <see cref="Each"/> owns it, and collects between its own items).
    /// </summary>
    static void CollectIfDue()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return;
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - Interlocked.Read(ref s_allocatedAtLastCollection) < CollectAfterAllocating) return;
        GC.Collect();
        Interlocked.Exchange(ref s_allocatedAtLastCollection, GC.GetTotalAllocatedBytes(precise: false));
        Interlocked.Increment(ref s_collections);
    }

    public void Dispose()
    {
        if (!_started) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The runtime had already ended the region: the budget was exceeded or some thread called GC.Collect.
        }
    }
}
