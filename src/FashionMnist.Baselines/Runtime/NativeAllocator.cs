using System.Runtime.InteropServices;

namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Tunes the C allocator that LibTorch's CPU tensors come from. With glibc's defaults, every activation larger than
/// the mmap threshold (at most 32 MB, often much less) is mapped fresh from the kernel and unmapped when freed, so
/// each batch pays page faults for its activations again; on the 2-core machines this project measures on, that made
/// evaluation with batches of 1,000 about 6 times slower (23 s instead of 3.7 s for the 10,000 test images) and
/// most of the time was spent in the kernel. Keeping freed memory in the process removes that cost, at the price of
/// a resident size that stays at its peak.
/// </summary>
public static class NativeAllocator
{
    const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>
    /// On Linux with glibc, raises the mmap and trim thresholds (<c>mallopt</c>) so that freed tensor memory is reused
    /// instead of returned to the kernel. A process-wide setting: call it once at the start of a training or
    /// evaluation program. Returns false, changing nothing, on other systems or C libraries.
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapThreshold, int.MaxValue) == 1 & mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
