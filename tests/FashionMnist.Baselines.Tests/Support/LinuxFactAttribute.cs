using Xunit;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>A fact about the Linux native library: reported as skipped, not passed, on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: it checks the ELF symbol versions of the Linux native library.";
    }
}
