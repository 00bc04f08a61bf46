using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Samples;

/// <summary>README's API guide: its examples are the files of samples/Guide, and they do what the guide says.</summary>
public sealed class GuideTests
{
    public static TheoryData<string> GuideFiles() => new(
        Directory.GetFiles(Repository.File("samples", "Guide"), "*.cs").Select(Path.GetFileName).Where(f => f != "Program.cs")!);

    [Theory]
    [MemberData(nameof(GuideFiles))]
    public void Every_guide_example_is_in_the_README_verbatim(string file)
    {
        string readme = File.ReadAllText(Repository.File("README.md")).ReplaceLineEndings("\n");
        string code = File.ReadAllText(Repository.File("samples", "Guide", file)).ReplaceLineEndings("\n");

        readme.Should().Contain("```csharp\n" + code + "```\n");
    }

    [Fact]
    public void The_examples_train_save_load_and_classify()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(256, 1);
        using InMemoryDataset validation = SyntheticData.Bars(64, 2);

        TrainingHistory own = OwnModule.Train(train, validation);
        own.Epochs.Should().NotBeEmpty();
        own.Epochs[0]["validation_error"].Should().Be(1 - own.Epochs[0].ValidationAccuracy, "the callback's own figure");

        using TrainedModel cnn = new Trainer().Fit(new CnnFactory(), train, validation, new TrainerOptions { Epochs = 1, Optimizer = OptimizerSettings.Adam() });
        byte[] image = train.Images[0].flatten().data<byte>().ToArray();
        var (label, probability) = SaveAndClassify.Run(cnn, image, dir.Combine("cnn.bin"));
        train.ClassNames.Should().Contain(label);
        probability.Should().BeInRange(0.1f, 1f);
        File.Exists(ModelCard.PathFor(dir.Combine("cnn.bin"))).Should().BeTrue("the card travels with the weights");
        using (LoadedModel loaded = ModelWeights.LoadModel(dir.Combine("cnn.bin")))
        {
            ExportAndDeploy.Run(loaded, image, dir.Combine("cnn.onnx")).Should().Be(label, "ONNX Runtime classifies the image as TorchSharp did");
        }

        using InMemoryDataset own3 = OwnDataset.FromTensors(new byte[3 * 28 * 28], [0, 2, 1]);
        own3.Labels.data<long>().ToArray().Should().Equal(0, 2, 1);
        using InMemoryDataset footwear = OwnDataset.Footwear(train, 30);
        footwear.ClassNames.Should().Equal("Sandal", "Sneaker", "Ankle boot");
        footwear.ClassCounts().Sum().Should().Be(30);
    }
}
