namespace FashionMnist.Baselines.Training;

/// <summary>
/// Whether this CPU computes bfloat16 in hardware. On Linux it reads the CPU flags of <c>/proc/cpuinfo</c>: x86's
/// <c>avx512_bf16</c> (bfloat16 dot products, Cooper Lake and later) or <c>amx_bf16</c> (AMX tiles, Sapphire Rapids and
/// later), arm64's <c>bf16</c>; oneDNN, which LibTorch's CPU convolutions and matrix products run on, uses them.
/// Elsewhere (or where the file cannot be read) the answer is unknown. Without such units LibTorch emulates bfloat16
/// with float32 arithmetic and conversions, which is slower than float32 itself.
/// </summary>
public static class BFloat16Support
{
    static readonly Lazy<string?> Units = new(() => FindUnits("/proc/cpuinfo"));

    /// <summary>True when the CPU has BF16 units, false when it has none, null when this cannot be told (not Linux).</summary>
    public static bool? HasHardwareUnits => Units.Value is string units ? units.Length > 0 : null;

    /// <summary>A sentence for logs: which units were found, or why bfloat16 will be slow, or that it is unknown.</summary>
    public static string Describe() => Units.Value switch
    {
        null => "Whether this CPU has BF16 units is unknown (the check reads /proc/cpuinfo on Linux); without them bfloat16 is emulated and slower than float32.",
        "" => "This CPU has no BF16 units (no avx512_bf16 or amx_bf16 flag in /proc/cpuinfo): bfloat16 is emulated and slower than float32 here.",
        string units => $"This CPU has BF16 units ({units}).",
    };

    /// <summary>The BF16 flags in a cpuinfo file, "" for none, or null when it cannot be read.</summary>
    internal static string? FindUnits(string cpuinfo)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            string[] known = ["avx512_bf16", "amx_bf16", "bf16"];
            // x86 lists them under "flags", arm64 under "Features".
            IEnumerable<string> flags = File.ReadLines(cpuinfo)
                .Where(line => line.StartsWith("flags", StringComparison.Ordinal) || line.StartsWith("Features", StringComparison.Ordinal))
                .SelectMany(line => line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return string.Join(", ", flags.Where(known.Contains).Distinct().Order(StringComparer.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
