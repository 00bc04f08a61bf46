using System.Reflection;
using System.Runtime.InteropServices;

namespace FashionMnist.Baselines.Reporting;

/// <summary>The versions and machine a run used, for its report.</summary>
/// <param name="Library">FashionMnist.Baselines version.</param>
/// <param name="TorchSharp">TorchSharp version.</param>
/// <param name="LibTorch">The native LibTorch version.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="OperatingSystem">The operating system.</param>
/// <param name="Processors">Logical processors.</param>
/// <param name="Threads">TorchSharp's intra-op threads.</param>
public sealed record RunEnvironment(string Library, string TorchSharp, string LibTorch, string Runtime, string OperatingSystem, int Processors, int Threads)
{
    /// <summary>Reads the versions of this process.</summary>
    public static RunEnvironment Current() => new(
        Version(typeof(RunEnvironment).Assembly),
        Version(typeof(global::TorchSharp.torch).Assembly),
        global::TorchSharp.torch.__version__,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        global::TorchSharp.torch.get_num_threads());

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
