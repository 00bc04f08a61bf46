using System.Reflection;
using System.Text.RegularExpressions;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using NetArchTest.Rules;
using Xunit;

namespace FashionMnist.Baselines.Tests.Packaging;

/// <summary>
/// The library's namespaces form layers, each using only the ones below it: a namespace that references one above it (or
/// a sibling on its own layer) makes a cycle waiting to happen. The check reads the IL (NetArchTest, through Mono.Cecil),
/// so references inside method bodies and lambdas count, not only signatures.
/// </summary>
public sealed class NamespaceLayersTests
{
    /// <summary>The library's layers, lowest first (README, "Repository layout").</summary>
    static readonly string[][] LibraryLayers =
    [
        [""],                        // FashionMnist.Baselines: InvalidOptionException and the log messages
        ["Runtime", "Metrics"],      // TorchSharp 0.107 / LibTorch 2.10 workarounds; metrics need nothing of ours
        ["Data"],
        ["Augmentation", "Models"],
        ["Training"],
        ["Reporting"],
        ["Recipes"],
    ];

    [Fact]
    public void Every_library_namespace_references_only_the_layers_below_it()
    {
        Violations(typeof(Trainer).Assembly, "FashionMnist.Baselines", LibraryLayers).Should().BeEmpty();
    }

    [Fact]
    public void Every_library_namespace_is_on_a_layer()
    {
        string[] known = LibraryLayers.SelectMany(layer => layer).Select(n => n.Length == 0 ? "FashionMnist.Baselines" : $"FashionMnist.Baselines.{n}").ToArray();
        typeof(Trainer).Assembly.GetTypes().Select(t => t.Namespace).Where(n => n?.StartsWith("FashionMnist.Baselines", StringComparison.Ordinal) == true)
            .Distinct().Should().BeSubsetOf(known, "a new namespace needs its place in the layers");
    }

    [Fact]
    public void A_planted_back_reference_is_found_even_inside_a_lambda()
    {
        string[][] layers = [["Data"], ["Training"]];

        IReadOnlyList<string> violations = Violations(typeof(NamespaceLayersTests).Assembly, "FashionMnist.Baselines.Tests.Planted", layers);

        violations.Should().ContainSingle().Which.Should().Contain("Planted.Data").And.Contain("Planted.Training");
    }

    /// <summary>"Type in namespace X references namespace Y above it" for every type of <paramref name="assembly"/> that does.</summary>
    static IReadOnlyList<string> Violations(Assembly assembly, string root, string[][] layers)
    {
        string Full(string name) => name.Length == 0 ? root : $"{root}.{name}";
        var violations = new List<string>();
        for (int level = 0; level < layers.Length; level++)
        {
            foreach (string name in layers[level])
            {
                // Everything not below this namespace's layer: its siblings on the same layer and every layer above.
                string[] forbidden = layers.Skip(level).SelectMany(layer => layer).Where(n => n != name).Select(Full).ToArray();
                if (forbidden.Length == 0) continue;
                TestResult result = Types.InAssembly(assembly).That().ResideInNamespaceMatching($"^{Regex.Escape(Full(name))}$")
                    .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
                violations.AddRange((result.FailingTypeNames ?? []).Select(type => $"{type} (in {Full(name)}) references one of {string.Join(", ", forbidden)}"));
            }
        }
        return violations;
    }
}
