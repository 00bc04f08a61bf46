using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Cli;

/// <summary><c>--precision fp32|bf16</c> (and <c>--test-precision</c>) as the commands read them.</summary>
internal static class PrecisionOption
{
    static readonly Dictionary<string, Precision> Names = new() { ["fp32"] = Precision.Float32, ["bf16"] = Precision.BFloat16 };

    /// <summary>The precision <paramref name="option"/> names, or null when it is not given.</summary>
    public static Precision? Read(Arguments a, string option) => a.Choice(option, Names);

    /// <summary>Says on standard error when bfloat16 will be emulated (slower than float32) or may be.</summary>
    public static void WarnIfSlow(Precision? precision)
    {
        if (precision == Precision.BFloat16 && BFloat16Support.HasHardwareUnits != true)
        {
            Console.Error.WriteLine($"warning: {BFloat16Support.Describe()}");
        }
    }
}
