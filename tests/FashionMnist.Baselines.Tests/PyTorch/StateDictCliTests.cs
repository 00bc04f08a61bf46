using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.PyTorch;

/// <summary><c>fmb export --format pytorch|safetensors</c> and <c>fmb evaluate FILE.pt --model m</c> as a user runs them.</summary>
public sealed class StateDictCliTests
{
    static readonly string PublishedRun = Repository.File("docs", "results", "resnet20-onecycle-24");

    static int Run(params string[] args) => CommandLine.Run(args, CancellationToken.None);

    [RealDataTheory]
    [InlineData("resnet20.pt", null)]
    [InlineData("resnet20.safetensors", null)]
    [InlineData("resnet20.safetensors", "safetensors")]
    public void Export_then_evaluate_gives_the_runs_accuracy(string file, string? format)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine(file);
        string[] formatOption = format is null ? [] : ["--format", format];
        Run(["export", PublishedRun, "--output", path, .. formatOption]).Should().Be(ExitCodes.Success);
        File.Exists(ModelCard.PathFor(path)).Should().BeTrue("the card travels with the file");
        if (format is not null) return; // evaluate tells the format by the extension

        File.Delete(ModelCard.PathFor(path));
        using var console = new ConsoleCapture();
        Run("evaluate", path, "--model", "resnet-20", "--data-dir", RealData.Directory).Should().Be(ExitCodes.Success);

        console.Text.Should().Contain("resnet-20 on the Fashion-MNIST test set: accuracy 0.9403");
    }

    [Theory]
    [InlineData("export {run} --output m.pt --raw-pixels")]
    [InlineData("export {run} --output m.onnx --format tensorflow")]
    [InlineData("export {run} --output m.weights --format safetensors")]
    [InlineData("export {run} --output m.pt --format safetensors")]
    public void Usage_errors_exit_with_code_2(string commandLine)
    {
        Run(commandLine.Replace("{run}", PublishedRun).Split(' ')).Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void A_state_dict_without_a_card_or_model_name_exits_with_code_4()
    {
        using var dir = new TempDirectory();
        Run("export", PublishedRun, "--output", dir.Combine("m.pt")).Should().Be(ExitCodes.Success);
        File.Delete(ModelCard.PathFor(dir.Combine("m.pt")));

        Run("evaluate", dir.Combine("m.pt")).Should().Be(ExitCodes.BadWeights);
    }
}
