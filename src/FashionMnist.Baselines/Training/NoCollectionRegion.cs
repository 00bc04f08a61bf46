using System.Runtime;

namespace FashionMnist.Baselines.Training;

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
/// </remarks>
internal sealed class NoCollectionRegion : IDisposable
{
    /// <summary>Managed bytes that all threads together may allocate during one step (a step stays inside it: NoCollectionRegionTests).</summary>
    internal const long AllocationBudget = 16L << 20;

    readonly bool _started;

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
            using var region = new NoCollectionRegion();
            if (!enumerator.MoveNext()) yield break;
            yield return enumerator.Current;
        }
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
