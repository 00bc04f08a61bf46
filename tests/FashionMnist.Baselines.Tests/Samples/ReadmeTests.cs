using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Samples;

public sealed class ReadmeTests
{
    [Fact]
    public void The_quick_start_snippet_is_the_QuickStart_sample()
    {
        string readme = File.ReadAllText(Repository.File("README.md")).ReplaceLineEndings("\n");
        const string begin = "<!-- quickstart:begin -->\n```csharp\n", end = "```\n<!-- quickstart:end -->";
        int start = readme.IndexOf(begin, StringComparison.Ordinal);
        int stop = readme.IndexOf(end, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "README marks its quick start");
        stop.Should().BeGreaterThan(start);

        string snippet = readme[(start + begin.Length)..stop];
        string sample = File.ReadAllText(Repository.File("samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n");

        snippet.Should().Be(sample);
    }

    [Fact]
    public void CI_runs_exactly_the_test_command_of_the_README()
    {
        string readme = File.ReadAllText(Repository.File("README.md"));
        string ci = File.ReadAllText(Repository.File(".ci", "run"));
        const string command = "bash scripts/bootstrap.sh && dotnet test FashionMnist.Baselines.sln -c Release";

        readme.Should().Contain(command);
        ci.Split('\n').Should().Contain(command);
    }
}
