using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Onnx;

/// <summary><c>fmb export</c> and <c>fmb evaluate model.onnx</c> as a user runs them.</summary>
public sealed class OnnxCliTests
{
    static readonly string PublishedRun = Repository.File("docs", "results", "resnet20-onecycle-24");

    static int Run(params string[] args) => CommandLine.Run(args, CancellationToken.None);

    [RealDataFact]
    public void Export_then_evaluate_gives_the_runs_report_through_onnx_runtime()
    {
        using var dir = new TempDirectory();
        string onnx = dir.Combine("resnet20.onnx");
        using (var console = new ConsoleCapture())
        {
            Run("export", PublishedRun, "--output", onnx, "--raw-pixels").Should().Be(ExitCodes.Success);
            console.Text.Should().Contain("uint8 pixels 0..255").And.Contain("test accuracy, recorded in the metadata: 0.9403");
        }

        using var evaluation = new ConsoleCapture();
        Run("evaluate", onnx, "--data-dir", RealData.Directory, "--predictions", dir.Combine("p.csv")).Should().Be(ExitCodes.Success);

        evaluation.Text.Should().Contain("resnet-20 (ONNX, ONNX Runtime) on the Fashion-MNIST test set: accuracy 0.9403");
        using Predictions published = PredictionsCsv.Read(new RunFolder(PublishedRun).BestPredictions, FashionMnistFiles.ClassNames);
        using Predictions written = PredictionsCsv.Read(dir.Combine("p.csv"), FashionMnistFiles.ClassNames);
        written.Predicted.data<long>().ToArray().Should().Equal(published.Predicted.data<long>().ToArray());
    }

    [Fact]
    public void Weights_of_another_architecture_exit_with_code_4_and_write_nothing()
    {
        using var dir = new TempDirectory();

        Run("export", PublishedRun, "--model", "cnn", "--output", dir.Combine("m.onnx")).Should().Be(ExitCodes.BadWeights);

        File.Exists(dir.Combine("m.onnx")).Should().BeFalse();
    }

    [Fact]
    public void A_damaged_onnx_file_exits_with_code_4()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("m.onnx"), [1, 2, 3]);

        Run("evaluate", dir.Combine("m.onnx")).Should().Be(ExitCodes.BadWeights);
    }

    [Fact]
    public void An_unwritable_output_exits_with_code_6()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("a-file"), "");

        Run("export", PublishedRun, "--output", dir.Combine("a-file", "m.onnx")).Should().Be(ExitCodes.OutputNotWritable);
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export {run}")]
    [InlineData("export {run} --output m.onnx --format tflite")]
    [InlineData("export {run} --output m.onnx --raw-pixels --float-pixels")]
    [InlineData("export {run} --output m.onnx --model vgg-16")]
    [InlineData("evaluate m.onnx --flip-tta")]
    [InlineData("evaluate m.onnx --model cnn")]
    public void Usage_errors_exit_with_code_2(string commandLine)
    {
        Run(commandLine.Replace("{run}", PublishedRun).Split(' ')).Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void An_export_of_weights_without_a_run_records_no_test_accuracy()
    {
        using var dir = new TempDirectory();
        using (var model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10))
        {
            ModelWeights.Save(model, dir.Combine("w.bin"), new ModelCard("cnn", new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames.ToArray(), [0f], [1f]));
        }
        using var console = new ConsoleCapture();

        Run("export", dir.Combine("w.bin"), "--output", dir.Combine("m.onnx"), "--float-pixels").Should().Be(ExitCodes.Success);

        console.Text.Should().Contain("float pixels 0..255").And.NotContain("test accuracy");
        using var onnx = FashionMnist.Baselines.Onnx.OnnxClassifier.Open(dir.Combine("m.onnx"));
        onnx.Info.TestAccuracy.Should().BeNull();
        onnx.Info.Pixels.Should().Be(FashionMnist.Baselines.Onnx.OnnxPixelInput.Float255);
    }
}
