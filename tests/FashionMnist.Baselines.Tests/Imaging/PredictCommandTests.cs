using System.Text.Json;
using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Imaging;

/// <summary><c>fmb predict</c> as a user runs it: published names, run folders, bad files, --keep-going, --json.</summary>
public sealed class PredictCommandTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    static int Run(params string[] args) => CommandLine.Run(args, CancellationToken.None);

    [RealDataFact]
    public void A_published_name_classifies_files_with_the_top_classes()
    {
        using var dir = new TempDirectory();
        string shoe = WritePng(0, dir.Combine("first.png")); // test image 0 is an ankle boot
        using var console = new ConsoleCapture();

        Run("predict", "resnet-20", shoe, "--top", "2").Should().Be(ExitCodes.Success);

        console.Text.Should().MatchRegex(@"first\.png: Ankle boot \(Ankle boot \d+\.\d %, \w");
    }

    [RealDataFact]
    public void Json_output_lists_each_file_with_its_classes()
    {
        using var dir = new TempDirectory();
        string[] files = [WritePng(0, dir.Combine("a.png")), WritePng(1, dir.Combine("b.png"))];
        var output = new StringWriter();
        TextWriter previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Run(["predict", Repository.File("docs", "results", "resnet20-onecycle-24"), .. files, "--json", "--top", "3"]).Should().Be(ExitCodes.Success);
        }
        finally
        {
            Console.SetOut(previous);
        }

        using JsonDocument json = JsonDocument.Parse(output.ToString());
        json.RootElement.GetArrayLength().Should().Be(2);
        json.RootElement[1].GetProperty("file").GetString().Should().Be(files[1]);
        json.RootElement[1].GetProperty("top").GetArrayLength().Should().Be(3);
        json.RootElement[0].GetProperty("top")[0].GetProperty("className").GetString().Should().Be("Ankle boot");
    }

    [RealDataFact]
    public void A_bad_file_exits_with_code_3_and_keep_going_classifies_the_others()
    {
        using var dir = new TempDirectory();
        string good = WritePng(0, dir.Combine("good.png"));
        File.WriteAllBytes(dir.Combine("empty.png"), []);

        using (var console = new ConsoleCapture())
        {
            Run("predict", "cnn", good, dir.Combine("empty.png")).Should().Be(ExitCodes.DataMissingOrDamaged);
            console.Text.Should().NotContain("good.png", "without --keep-going nothing is classified");
        }
        using (var console = new ConsoleCapture())
        {
            Run("predict", "cnn", good, dir.Combine("empty.png"), dir.Combine("missing.png"), "--keep-going").Should().Be(ExitCodes.DataMissingOrDamaged);
            console.Text.Should().Contain("good.png: ");
        }
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("predict resnet-20")]
    [InlineData("predict vgg-16 x.png")]
    [InlineData("predict resnet-20 x.png --invert sometimes")]
    [InlineData("predict resnet-20 x.png --model cnn")]
    public void Usage_errors_exit_with_code_2(string commandLine)
    {
        Run(commandLine.Split(' ')).Should().Be(ExitCodes.Usage);
    }

    string WritePng(int index, string path) =>
        GreyImageFiles.Write(data.Test.Images[index].flatten().data<byte>().ToArray(), 28, 28, path);
}
