using System.IO.Compression;
using System.Security.Cryptography;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Data;

/// <summary>Checks on the real Fashion-MNIST (Debian's dataset-fashion-mnist or $FASHION_MNIST_DIR).</summary>
public sealed class RealDataTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    [RealDataFact]
    public void The_training_set_has_60000_images_6000_per_class()
    {
        data.Train.Count.Should().Be(60_000);
        data.Train.Images.shape.Should().Equal(60_000, 1, 28, 28);
        data.Train.Images.dtype.Should().Be(ScalarType.Byte);
        data.Train.Labels.dtype.Should().Be(ScalarType.Int64);
        data.Train.ClassCounts().Should().AllBeEquivalentTo(6_000);
    }

    [RealDataFact]
    public void The_test_set_has_10000_images_1000_per_class()
    {
        data.Test.Count.Should().Be(10_000);
        data.Test.ClassCounts().Should().AllBeEquivalentTo(1_000);
    }

    [RealDataFact]
    public void The_training_pixels_have_the_published_mean_and_std()
    {
        using var scope = NewDisposeScope();
        Tensor pixels = data.Train.Images.to_type(ScalarType.Float64).div(255);

        pixels.mean().item<double>().Should().BeApproximately(0.2860, 1e-3);
        pixels.std().item<double>().Should().BeApproximately(0.3530, 1e-3);
    }

    [RealDataFact]
    public void Normalised_training_batches_have_mean_0_and_std_1()
    {
        using var scope = NewDisposeScope();
        using Batch all = data.Train.GetBatch(arange(60_000), CPU);

        all.Images.mean().item<float>().Should().BeApproximately(0f, 2e-3f);
        all.Images.std().item<float>().Should().BeApproximately(1f, 2e-3f);
    }

    [RealDataTheory]
    [InlineData("train-images-idx3-ubyte", "f4a8712d7a061bf5bd6d2ca38dc4d50a")]
    [InlineData("train-labels-idx1-ubyte", "9018921c3c673c538a1fc5bad174d6f9")]
    [InlineData("t10k-images-idx3-ubyte", "8181f5470baa50b63fa0f6fddb340f0a")]
    [InlineData("t10k-labels-idx1-ubyte", "15d484375f8d13e6eb1aabb0c3f46965")]
    public void The_decompressed_files_have_the_official_md5(string name, string md5)
    {
        string path = FashionMnistFiles.Find(RealData.Directory, name)!;
        using Stream file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;

        Convert.ToHexString(MD5.HashData(content)).ToLowerInvariant().Should().Be(md5);
    }

    [RealDataTheory]
    [InlineData("train-images-idx3-ubyte")]
    [InlineData("train-labels-idx1-ubyte")]
    [InlineData("t10k-images-idx3-ubyte")]
    [InlineData("t10k-labels-idx1-ubyte")]
    public void The_pinned_content_sha256_is_that_of_the_real_files(string name)
    {
        string path = FashionMnistFiles.Find(RealData.Directory, name)!;
        using Stream file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;

        Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant().Should().Be(FashionMnistFiles.ContentSha256[name]);
    }

    [RealDataFact]
    public void A_stratified_validation_split_of_5000_takes_500_of_each_class()
    {
        (InMemoryDataset train, InMemoryDataset validation) = data.Train.SplitStratified(5_000, seed: 42);
        using (train)
        using (validation)
        {
            validation.ClassCounts().Should().AllBeEquivalentTo(500);
            train.ClassCounts().Should().AllBeEquivalentTo(5_500);
        }
    }

    [RealDataFact]
    public void Loading_through_the_search_finds_the_same_data()
    {
        // No directory named, no variable, an empty user cache: the search has to reach the system folder.
        using var cache = new TempDirectory();
        var options = new FashionMnistOptions
        {
            AllowDownload = false,
            SystemDirectory = RealData.Directory,
            GetEnvironmentVariable = name => name == "XDG_CACHE_HOME" ? cache.Path : null,
        };

        FashionMnistDataset.Locate(options).Should().Be(RealData.Directory);
        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, options);

        test.Labels.eq(data.Test.Labels).all().item<bool>().Should().BeTrue();
        test.Images.eq(data.Test.Images).all().item<bool>().Should().BeTrue();
    }
}
