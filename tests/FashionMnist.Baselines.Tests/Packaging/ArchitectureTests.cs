using System.Reflection.PortableExecutable;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Packaging;

/// <summary>The packaged libraries load in a process of any architecture, as TorchSharp.dll does.</summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData(typeof(Trainer))]
    [InlineData(typeof(LearningCurvePlot))]
    [InlineData(typeof(TorchSharp.torch))]
    public void Library_assemblies_are_architecture_neutral(Type type)
    {
        using var reader = new PEReader(File.OpenRead(type.Assembly.Location));

        // AnyCPU: IL only, no 32-bit requirement, and the neutral machine type (an x64-only build says Amd64).
        reader.PEHeaders.CorHeader!.Flags.Should().HaveFlag(CorFlags.ILOnly).And.NotHaveFlag(CorFlags.Requires32Bit);
        reader.PEHeaders.CoffHeader.Machine.Should().Be(Machine.I386, $"{type.Assembly.GetName().Name} must not be x64-only");
    }
}
