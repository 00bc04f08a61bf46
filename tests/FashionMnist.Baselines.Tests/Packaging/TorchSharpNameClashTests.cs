using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Packaging;

/// <summary>
/// A file that defines a model imports TorchSharp's namespaces next to ours; a public type name that both define makes
/// every such file fail with CS0104 (ambiguous reference), as <c>OptimizerOptions</c> did (now OptimizerSettings).
/// </summary>
public sealed class TorchSharpNameClashTests
{
    [Fact]
    public void No_public_type_of_the_library_shares_its_name_with_one_a_model_file_imports_from_TorchSharp()
    {
        // What a model file usually imports: using TorchSharp; using TorchSharp.Modules; using static TorchSharp.torch;
        // using static TorchSharp.torch.nn; (the static imports bring the nested types into scope).
        HashSet<string> torchSharp = typeof(TorchSharp.torch).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is "TorchSharp" or "TorchSharp.Modules"
                        && (t.DeclaringType is null || t.DeclaringType == typeof(TorchSharp.torch) || t.DeclaringType == typeof(TorchSharp.torch.nn)))
            .Select(SimpleName).ToHashSet(StringComparer.Ordinal);

        string[] ours = typeof(Trainer).Assembly.GetExportedTypes().Concat(typeof(FashionMnist.Baselines.Plots.LearningCurvePlot).Assembly.GetExportedTypes())
            .Select(SimpleName).Distinct().ToArray();

        ours.Where(torchSharp.Contains).Should().BeEmpty("these names would be ambiguous in a file that also defines a model");
    }

    static string SimpleName(Type type) => type.Name.Split('`')[0];
}
