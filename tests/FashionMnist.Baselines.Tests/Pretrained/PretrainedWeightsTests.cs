using System.Security.Cryptography;
using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Pretrained;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Pretrained;

/// <summary>Each published entry loads, checks its hash and reproduces its recorded test accuracy on the real test set, to the image.</summary>
public sealed class PretrainedWeightsTests
{
    public static TheoryData<string> Entries() => new(PretrainedWeights.All.Select(e => e.Name));

    [RealDataTheory]
    [MemberData(nameof(Entries))]
    public void An_entry_reproduces_its_recorded_test_accuracy_exactly(string name)
    {
        PretrainedModel entry = PretrainedWeights.Find(name)!;
        using LoadedModel loaded = entry.Load();
        using InMemoryDataset test = RealData.Load(FashionMnistPart.Test, entry.Normalization);

        using Predictions predictions = new Trainer().Predict(loaded.Model, test);

        predictions.Accuracy.Should().Be(entry.TestAccuracy, "the entry records what its weights score on the 10,000 test images");
        loaded.Card.Model.Should().Be(entry.Model);
        loaded.Model.training.Should().BeFalse();
        if (entry.FlipAveragedTestAccuracy is double flipAveraged)
        {
            using var averaged = new FlipAveragingClassifier(loaded.Model);
            using Predictions withFlips = new Trainer().Predict(averaged, test);
            withFlips.Accuracy.Should().Be(flipAveraged);
        }
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void An_entry_is_the_committed_file_of_its_run(string name)
    {
        PretrainedModel entry = PretrainedWeights.Find(name)!;
        byte[] committed = File.ReadAllBytes(Repository.File(entry.Run, "weights-best.bin"));

        Convert.ToHexString(SHA256.HashData(committed)).ToLowerInvariant().Should().Be(entry.Sha256);
        var record = new FashionMnist.Baselines.Reporting.RunFolder(Repository.File(entry.Run)).ReadRecord();
        record.Model.Should().Be(entry.Model);
        record.NormalizationMean.Should().Equal(entry.Normalization.Mean);
        record.NormalizationStd.Should().Equal(entry.Normalization.Std);
    }

    [Fact]
    public void A_damaged_entry_is_refused_with_its_hashes()
    {
        PretrainedModel entry = PretrainedWeights.ResNet20;
        byte[] damaged = File.ReadAllBytes(Repository.File(entry.Run, "weights-best.bin"));
        damaged[^1] ^= 0xFF;

        Action load = () => entry.Load(damaged).Dispose();

        load.Should().Throw<InvalidWeightsFileException>().WithMessage($"*resnet-20*SHA-256*expected {entry.Sha256}*damaged*");
    }

    [Fact]
    public void Names_are_unique_and_found()
    {
        PretrainedWeights.All.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        PretrainedWeights.Find("resnet-20").Should().BeSameAs(PretrainedWeights.ResNet20);
        PretrainedWeights.Find("vgg-16").Should().BeNull();
    }
}

/// <summary>README's "Use a trained model" lines, run as written.</summary>
public sealed class UseATrainedModelReadmeTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    [RealDataFact]
    public void The_readme_lines_classify_a_file_with_a_published_model()
    {
        string readme = File.ReadAllText(Repository.File("README.md"));
        readme.Should().Contain("""
            using var classifier = new ImageClassifier(PretrainedWeights.ResNet20.Load()); // checks the file's SHA-256
            ImageClassification result = classifier.ClassifyFiles(["shoe.jpg"])[0];
            Console.WriteLine($"{result.Best.ClassName} {result.Best.Probability:P0}");
            """);
        using var dir = new TempDirectory();
        string shoe = dir.Combine("shoe.png");
        GreyImageFiles.Write(data.Test.Images[0].flatten().data<byte>().ToArray(), 28, 28, shoe); // an ankle boot

        using var classifier = new FashionMnist.Baselines.Imaging.ImageClassifier(PretrainedWeights.ResNet20.Load());
        FashionMnist.Baselines.Imaging.ImageClassification result = classifier.ClassifyFiles([shoe])[0];

        result.Best.ClassName.Should().Be("Ankle boot");
    }
}
