using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Models;

public sealed class ModelBehaviourTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    static readonly ImageShape Fashion = new(1, 28, 28);

    /// <summary>Every family, at small widths so that the class stays fast.</summary>
    public static TheoryData<string> SmallModels => new()
    {
        "cnn", "cnn-torchbn", "mobilenet-0.25", "mobilenet-28-0.25", "wrn-10-1", "resnet-20", "resnet-44", "resnet9-8",
    };

    [Theory]
    [MemberData(nameof(SmallModels))]
    public void Output_is_batch_by_classes_and_eval_mode_is_deterministic(string name)
    {
        manual_seed(1);
        using Module<Tensor, Tensor> model = ModelRegistry.Resolve(name).Create(Fashion, 10);
        using DisposeScope scope = NewDisposeScope();
        Tensor images = randn(4, 1, 28, 28);

        model.eval();
        using (no_grad())
        {
            Tensor first = model.forward(images);
            Tensor second = model.forward(images);
            first.shape.Should().Equal(4, 10);
            first.eq(second).all().item<bool>().Should().BeTrue("dropout is off in eval mode");
        }
    }

    [Fact]
    public void Train_mode_applies_dropout()
    {
        manual_seed(2);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(Fashion, 10);
        using DisposeScope scope = NewDisposeScope();
        Tensor images = randn(4, 1, 28, 28);
        model.train();
        using (no_grad())
        {
            model.forward(images).eq(model.forward(images)).all().item<bool>().Should().BeFalse();
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_weights()
    {
        float[] Weights(long seed)
        {
            manual_seed(seed);
            using Module<Tensor, Tensor> model = ModelRegistry.Resolve("wrn-10-1").Create(Fashion, 10);
            return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }

        Weights(7).Should().Equal(Weights(7));
        Weights(8).Should().NotEqual(Weights(7), "the seed decides the initialisation");
    }

    [Fact]
    public void Summary_lists_layers_in_order_with_shapes_and_counts()
    {
        ModelSummary summary = new CnnFactory().Describe(Fashion, 10);

        summary.Layers.Select(l => l.Name).Should().StartWith(["features.conv1", "features.relu1", "features.conv2"]);
        summary.Layers.First(l => l.Name == "features.pool2").OutputShape.Should().Equal(1, 64, 7, 7);
        summary.Layers.Last().OutputShape.Should().Equal(1, 10);
        summary.Layers.Sum(l => l.TrainableParameters).Should().Be(summary.TrainableParameters);
        // conv1 28*28*32*9 + conv2 28*28*32*288 + conv3 14*14*64*288 + conv4 14*14*64*576 + 3136*128 + 128*10
        summary.MultiplyAdds.Should().Be(225_792 + 7_225_344 + 3_612_672 + 7_225_344 + 401_408 + 1_280);
        summary.ToString().Should().Contain("Trainable parameters: 468,074").And.Contain("features.conv1");
    }

    [Fact]
    public void The_56x56_MobileNet_resizes_and_the_native_one_does_not()
    {
        ModelSummary resized = new MobileNetFactory(0.25, MobileNetInput.Resized56).Describe(Fashion, 10);
        ModelSummary native = new MobileNetFactory(0.25, MobileNetInput.Native28).Describe(Fashion, 10);

        resized.Layers[0].OutputShape.Should().Equal(1, 8, 28, 28);
        native.Layers[0].OutputShape.Should().Equal(1, 8, 28, 28);
        resized.Layers.Single(l => l.Name == "features.block13_pw").OutputShape.Should().Equal(1, 256, 2, 2);
        native.Layers.Single(l => l.Name == "features.block13_pw").OutputShape.Should().Equal(1, 256, 2, 2);
    }

    [Fact]
    public void ResNet9_pools_28x28_to_14_7_and_4_and_counts_its_multiply_adds()
    {
        ModelSummary summary = new ResNet9Factory(32).Describe(Fashion, 10);

        summary.Layers.Single(l => l.Name == "layer1.pool").OutputShape.Should().Equal(1, 64, 14, 14);
        summary.Layers.Single(l => l.Name == "layer2.pool").OutputShape.Should().Equal(1, 128, 7, 7);
        summary.Layers.Single(l => l.Name == "layer3.pool").OutputShape.Should().Equal(1, 256, 4, 4); // the last pool rounds up, so the seventh row counts
        summary.Layers.Last().OutputShape.Should().Equal(1, 10);
        // prep 28*28*32*9 + layer1 28*28*64*288 + residual1 2*14*14*64*576 + layer2 14*14*128*576 + layer3 7*7*256*1152
        // + residual3 2*4*4*256*2304 + fc 256*10
        summary.MultiplyAdds.Should().Be(225_792 + 14_450_688 + 14_450_688 + 14_450_688 + 14_450_688 + 18_874_368 + 2_560);
        FluentActions.Invoking(() => new ResNet9(new ImageShape(1, 7, 7), 10, 8)).Should().Throw<ArgumentException>().WithMessage("*at least 8x8*7x7*");
    }

    [Fact]
    public void Registry_rejects_unknown_names_listing_the_valid_ones()
    {
        FluentActions.Invoking(() => ModelRegistry.Resolve("vgg-16")).Should().Throw<ArgumentException>()
            .WithMessage("Unknown model 'vgg-16'*cnn*mobilenet-28*wrn-28-10*resnet-20*");
        FluentActions.Invoking(() => ModelRegistry.Resolve("wrn-27-10")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ModelRegistry.Resolve("mobilenet-1.5")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Constructors_reject_out_of_range_and_NaN_settings_by_name()
    {
        var shape = new ImageShape(1, 28, 28);
        foreach (double dropout in new[] { -0.1, 1.0, double.NaN })
        {
            FluentActions.Invoking(() => new WideResNet(shape, 10, 16, 4, dropout)).Should().Throw<ArgumentOutOfRangeException>()
                .Which.ParamName.Should().Be("dropout");
        }
        foreach (double alpha in new[] { 0.0, 1.5, double.NaN })
        {
            FluentActions.Invoking(() => new MobileNetV1(shape, 10, alpha, MobileNetInput.Native28)).Should().Throw<ArgumentOutOfRangeException>()
                .Which.ParamName.Should().Be("alpha");
        }
    }

    [Theory]
    [InlineData("cnn", "cnn")]
    [InlineData("MobileNet-0.5", "mobilenet-0.5")]
    [InlineData("mobilenet-28", "mobilenet-28")]
    [InlineData("wrn-28-10", "wrn-28-10")]
    [InlineData("resnet-110", "resnet-110")]
    [InlineData("ResNet9-48", "resnet9-48")]
    public void Registry_resolves_names_to_factories_with_that_name(string name, string expected)
    {
        ModelRegistry.Resolve(name).Name.Should().Be(expected);
        ModelRegistry.All.Select(f => f.Name).Should().Equal(ModelRegistry.Names);
    }

    [Fact]
    public void Saved_weights_load_into_a_fresh_model_with_identical_outputs()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("weights.bin");
        using DisposeScope scope = NewDisposeScope();
        Tensor images = randn(3, 1, 28, 28);
        manual_seed(11);
        using Module<Tensor, Tensor> original = ModelRegistry.Resolve("resnet-20").Create(Fashion, 10);
        manual_seed(12);
        using Module<Tensor, Tensor> fresh = ModelRegistry.Resolve("resnet-20").Create(Fashion, 10);
        // Running statistics are saved too: change them before saving.
        original.train();
        using (no_grad()) original.forward(randn(8, 1, 28, 28));

        ModelWeights.Save(original, path);
        ModelWeights.Load(fresh, path);

        original.eval();
        fresh.eval();
        using (no_grad())
        {
            fresh.forward(images).eq(original.forward(images)).all().item<bool>().Should().BeTrue();
        }
        Directory.GetFiles(dir.Path).Should().ContainSingle("the save leaves no temporary file");
    }

    [Fact]
    public void Loading_weights_of_another_architecture_names_the_first_mismatch()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("cnn.bin");
        using Module<Tensor, Tensor> cnn = new CnnFactory().Create(Fashion, 10);
        using Module<Tensor, Tensor> resnet = ModelRegistry.Resolve("resnet-20").Create(Fashion, 10);
        ModelWeights.Save(cnn, path);

        FluentActions.Invoking(() => ModelWeights.Load(resnet, path)).Should().Throw<ModelWeightsMismatchException>()
            .Where(e => e.Parameter == "stem.conv1.weight").WithMessage($"{path}*stem.conv1.weight: missing from the file*");
    }

    [Fact]
    public void Loading_weights_of_another_shape_names_the_parameter_and_both_shapes()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("cnn10.bin");
        using Module<Tensor, Tensor> ten = new CnnFactory().Create(Fashion, 10);
        using Module<Tensor, Tensor> five = new CnnFactory().Create(Fashion, 5);
        ModelWeights.Save(ten, path);

        FluentActions.Invoking(() => ModelWeights.Load(five, path)).Should().Throw<ModelWeightsMismatchException>()
            .WithMessage("*classifier.dense2.weight: the file has Float32 [10, 128], the model needs Float32 [5, 128]*");
    }

    [Fact]
    public void Loading_a_file_that_is_not_weights_fails_clearly()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("junk.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        using Module<Tensor, Tensor> cnn = new CnnFactory().Create(Fashion, 10);

        FluentActions.Invoking(() => ModelWeights.Load(cnn, path)).Should().Throw<InvalidWeightsFileException>()
            .Where(e => e.FilePath == path).WithMessage("*cannot be used as model weights: it is not a TorchSharp weights file*");
    }

    [Theory]
    [InlineData(1, -5L)]      // a negative dimension
    [InlineData(1, 1L << 40)] // more data than the file holds
    [InlineData(1L << 40, 1L)] // an absurd rank
    public void A_weights_file_with_a_damaged_header_fails_as_an_invalid_weights_file(long rank, long dimension)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("damaged.bin");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write7BitEncodedInt64(1);
            writer.Write("features.conv1.weight");
            writer.Write7BitEncodedInt64((long)ScalarType.Float32);
            writer.Write7BitEncodedInt64(rank);
            writer.Write7BitEncodedInt64(dimension);
        }
        using Module<Tensor, Tensor> cnn = new CnnFactory().Create(Fashion, 10);

        FluentActions.Invoking(() => ModelWeights.Load(cnn, path)).Should().Throw<InvalidWeightsFileException>()
            .Where(e => e.FilePath == path).WithMessage("*features.conv1.weight*");
    }

    public static TheoryData<string, float> OverfitModels => new()
    {
        { "cnn", 1e-3f }, { "mobilenet-28-0.25", 2e-3f }, { "mobilenet-0.25", 2e-3f }, { "wrn-10-2", 2e-3f }, { "resnet-20", 2e-3f }, { "resnet9-16", 2e-3f },
    };

    [RealDataTheory]
    [MemberData(nameof(OverfitModels))]
    public void Each_family_overfits_a_fixed_batch_of_64_real_images(string name, float learningRate)
    {
        manual_seed(3);
        using Module<Tensor, Tensor> model = ModelRegistry.Resolve(name).Create(Fashion, 10);
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        using Tensor indices = arange(64);
        using Batch batch = data.Train.GetBatch(indices, CPU);
        model.train();

        double accuracy = 0;
        int step;
        for (step = 1; step <= 150 && accuracy <= 0.9; step++)
        {
            using DisposeScope scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor logits = model.forward(batch.Images);
            functional.cross_entropy(logits, batch.Labels).backward();
            optimizer.step();
            accuracy = logits.argmax(1).eq(batch.Labels).to_type(ScalarType.Float32).mean().item<float>();
        }

        accuracy.Should().BeGreaterThan(0.9, $"{name} should fit 64 images within 150 steps (stopped at step {step - 1})");
    }
}
