using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Native;

/// <summary>Tests the ELF logic of build/LibTorchSharpGlibcxxFix.cs on a temporary copy of the real libLibTorchSharp.so.</summary>
public sealed class GlibcxxFixTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("fmb-glibcxx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static string PackagedLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    string CopyOfPackagedLibrary()
    {
        string source = PackagedLibrary();
        File.Exists(source).Should().BeTrue($"the restore puts TorchSharp's native library at {source}");
        string copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(source, copy);
        return copy;
    }

    static readonly HashSet<string> Gcc12Versions =
        Enumerable.Range(0, 31).Select(i => $"GLIBCXX_3.4.{i}").Append("GLIBCXX_3.4")
            .Concat(Enumerable.Range(0, 14).Select(i => $"CXXABI_1.3.{i}")).Append("CXXABI_1.3").ToHashSet();

    [Fact]
    public void The_packaged_library_requires_the_marker_version_strongly()
    {
        var required = GlibcxxVersionPatcher.ReadRequiredVersions(File.ReadAllBytes(PackagedLibrary()), "libstdc++.so.6");

        required.Should().ContainKey("GLIBCXX_3.4.32").WhoseValue.Should().BeFalse("the NuGet cache is never patched");
    }

    [Fact]
    public void Patch_weakens_only_the_marker_and_is_idempotent()
    {
        string copy = CopyOfPackagedLibrary();
        byte[] before = File.ReadAllBytes(copy);

        PatchResult first = GlibcxxVersionPatcher.Patch(copy, Gcc12Versions);
        PatchResult second = GlibcxxVersionPatcher.Patch(copy, Gcc12Versions);

        first.Outcome.Should().Be(PatchOutcome.Patched, first.Detail);
        second.Outcome.Should().Be(PatchOutcome.AlreadyWeak, second.Detail);
        var required = GlibcxxVersionPatcher.ReadRequiredVersions(File.ReadAllBytes(copy), "libstdc++.so.6");
        required["GLIBCXX_3.4.32"].Should().BeTrue();
        required.Where(r => r.Key != "GLIBCXX_3.4.32").Should().OnlyContain(r => !r.Value, "only the marker is weakened");
        byte[] after = File.ReadAllBytes(copy);
        after.Length.Should().Be(before.Length);
        Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]).Should().Be(1, "one flag byte changes");
        Directory.GetFiles(_folder).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void Patch_refuses_when_the_system_lacks_other_versions_too()
    {
        string copy = CopyOfPackagedLibrary();
        var gcc8 = Gcc12Versions.Where(v => v is not ("GLIBCXX_3.4.29" or "GLIBCXX_3.4.30" or "GLIBCXX_3.4.26")).ToHashSet();

        PatchResult result = GlibcxxVersionPatcher.Patch(copy, gcc8);

        result.Outcome.Should().Be(PatchOutcome.Refused);
        File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(PackagedLibrary()));
    }

    // Loading itself is proven by every test that touches a tensor; this one says why it loads.
    [LinuxFact]
    public void The_build_output_copy_needs_no_GLIBCXX_version_this_system_lacks()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        File.Exists(output).Should().BeTrue();
        string? system = GlibcxxVersionPatcher.FindSystemLibStdCxx();
        system.Should().NotBeNull();
        var available = GlibcxxVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(system!));
        var required = GlibcxxVersionPatcher.ReadRequiredVersions(File.ReadAllBytes(output), "libstdc++.so.6");

        // Every strong requirement of the output copy is met by the system: the build patched it where needed.
        required.Where(r => !r.Value).Select(r => r.Key).Should().BeSubsetOf(available);
    }
}
