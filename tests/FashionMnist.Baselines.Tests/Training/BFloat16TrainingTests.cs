using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Runtime;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FashionMnist.Baselines.Data;
using FluentAssertions;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Training;

/// <summary><see cref="Precision.BFloat16"/>: bfloat16 compute on float32 master weights, in training and inference.</summary>
public sealed class BFloat16TrainingTests
{
    static readonly TrainerOptions Quick = new()
    {
        Epochs = 3,
        BatchSize = 64,
        Optimizer = OptimizerSettings.Sgd(0.05, 0.9, 5e-4),
        Seed = 5,
        Threads = 2,
        Precision = Precision.BFloat16,
    };

    static object[] Figures(EpochRecord e) =>
        [e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss ?? -1, e.ValidationAccuracy ?? -1, e.LearningRate];

    static float[] Weights(Module model) => [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];

    static Sequential Small()
    {
        manual_seed(3);
        // As the library's models: no bias before BatchNorm (its gradient is zero in exact arithmetic, so a relative error means nothing).
        // The grey stem (one input channel) stays float32 (BFloat16Compute.KeptInFloat32); the rest computes in bfloat16.
        return Sequential(Conv2d(1, 4, 3, padding: 1), Conv2d(4, 8, 3, padding: 1, bias: false), BatchNorm2d(8), ReLU(), MaxPool2d(2), Flatten(), Linear(8 * 14 * 14, 10));
    }

    /// <summary>
    /// The bound: 5% relative error (L2 norm) per parameter tensor. bfloat16 keeps 8 significant bits (0.4% per
    /// value); a convolution's weight gradient sums about 50,000 products of rounded activations and rounded output
    /// gradients (2.1% off in a first version of this test, the BatchNorm and linear ones 0.2-1.4%).
    /// </summary>
    [Fact]
    public void A_bfloat16_step_gives_the_float64_gradients_within_five_percent_per_tensor()
    {
        using Sequential model = Small();
        using Sequential reference = Small();
        reference.to(ScalarType.Float64);
        model.train();
        reference.train();
        using InMemoryDataset data = SyntheticData.Bars(64, 7);
        using Tensor indices = arange(64);
        using Batch batch = data.GetBatch(indices, CPU);
        Tensor images = batch.Images, labels = batch.Labels;

        using (Tensor loss = functional.cross_entropy(reference.forward(images.to(ScalarType.Float64)), labels)) loss.backward();
        using var masters = new BFloat16Compute.Masters(model);
        using (var compute = BFloat16Compute.ForTraining(model, masters.Parameters))
        {
            model.parameters().Select(p => p.dtype).Should().Equal(
                [ScalarType.Float32, ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float32, ScalarType.Float32, ScalarType.BFloat16, ScalarType.BFloat16],
                "the stem stays float32, BatchNorm keeps float32 weights, the other convolution and the linear layer compute in bfloat16");
            using Tensor logits = model.forward(BFloat16Compute.Input(images)).to(ScalarType.Float32);
            using Tensor loss = functional.cross_entropy(logits, labels);
            loss.backward();
            compute.GradientsToMasters();
        }

        Parameter[] expected = [.. reference.parameters()];
        for (int i = 0; i < expected.Length; i++)
        {
            Tensor gradient = masters.Parameters[i].grad!;
            gradient.dtype.Should().Be(ScalarType.Float32, "masters and BatchNorm keep float32 gradients");
            double error = (gradient.to(ScalarType.Float64) - expected[i].grad!).norm().item<double>() / expected[i].grad!.norm().item<double>();
            error.Should().BeLessThan(0.05, $"parameter {i} {string.Join('x', expected[i].shape)}");
        }
        model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32, "float32 again once the compute ends");
    }

    /// <summary>
    /// The shapes on which LibTorch 2.10's standard-layout bfloat16 convolutions went 12-71% wrong on an AMD EPYC
    /// (Zen 5) CPU (BFloat16Compute.ToChannelsLast): through the library's bfloat16 compute, the output and the input
    /// gradient stay within 1% of float64 (bfloat16 rounding alone gives 0.3%), and the weights come back float32 in
    /// their own layout.
    /// </summary>
    [Theory]
    [InlineData(2, 8, 1)]
    [InlineData(4, 8, 2)]
    [InlineData(8, 16, 1)]
    [InlineData(12, 32, 2)]
    [InlineData(24, 16, 1)]
    [InlineData(32, 8, 1)]
    public void Bfloat16_convolutions_of_few_channels_give_the_float64_output_and_input_gradient(int inChannels, int outChannels, int stride)
    {
        manual_seed(inChannels * 100 + outChannels);
        using var scope = NewDisposeScope();
        using Conv2d conv = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        using Sequential model = Sequential(conv); // the compute casts a model's layers, not the model itself
        using Conv2d reference = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        reference.to(ScalarType.Float64);
        using (no_grad()) reference.weight!.copy_(conv.weight!);
        Tensor images = randn(32, inChannels, 28, 28);
        Tensor input = images.to(ScalarType.Float64).requires_grad_();
        Tensor expected = reference.forward(input);
        Tensor outputGradient = randn(expected.shape);
        expected.backward([outputGradient.to(ScalarType.Float64)]);

        Tensor halfInput = BFloat16Compute.Input(images).requires_grad_();
        using var masters = new BFloat16Compute.Masters(model);
        using (var compute = BFloat16Compute.ForTraining(model, masters.Parameters))
        {
            conv.weight!.dtype.Should().Be(ScalarType.BFloat16);
            Tensor output = model.forward(halfInput);
            output.backward([outputGradient.to(ScalarType.BFloat16)]);
            double RelativeError(Tensor actual, Tensor wanted) => (actual.to(ScalarType.Float64) - wanted).norm().item<double>() / wanted.norm().item<double>();
            RelativeError(output, expected).Should().BeLessThan(0.01, "the output");
            RelativeError(halfInput.grad!, input.grad!).Should().BeLessThan(0.01, "the input gradient");
            compute.GradientsToMasters();
            RelativeError(masters.Parameters[0].grad!, reference.weight!.grad!).Should().BeLessThan(0.01, "the weight gradient");
        }
        conv.weight!.dtype.Should().Be(ScalarType.Float32);
        conv.weight!.stride().Should().Equal([inChannels * 9, 9, 3, 1], "the weight is given back in the standard layout it came in");
    }

    [Fact]
    public void A_channels_last_model_keeps_its_layout_through_bfloat16_compute_and_checkpoints_of_a_standard_one_save()
    {
        using Sequential channelsLast = Small();
        ChannelsLastLayout.Apply(channelsLast);
        long[] before = channelsLast.parameters().ElementAt(1).stride();
        using (BFloat16Compute.ForInference(channelsLast)) { }
        channelsLast.parameters().ElementAt(1).stride().Should().Equal(before);

        // A standard model trained in bfloat16 computes channels-last, and its optimizer state must still save.
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(128, 1);
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, Quick with { Epochs = 1 }, [checkpoint]);
        trained.Model.parameters().Should().OnlyContain(p => ChannelsLastLayout.HasStandardStrides(p));
        Directory.Exists(checkpoint.LastDirectory).Should().BeTrue();
    }

    [Fact]
    public void Master_weights_stay_float32_through_training_checkpoints_and_the_returned_model()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 1);
        using InMemoryDataset validation = SyntheticData.Bars(128, 2);
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        var inBatches = new List<(ScalarType Conv, ScalarType Conv2, ScalarType BatchNorm, ScalarType[] Optimizer)>();
        var atEpochEnd = new List<ScalarType>();
        var probe = new Probe
        {
            OnBatch = context => inBatches.Add((
                context.Model.parameters().Where(p => p.dim() == 4).First().dtype,
                context.Model.parameters().Where(p => p.dim() == 4).Skip(1).First().dtype,
                context.Model.modules().First(m => m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d).parameters().First().dtype,
                [.. context.Optimizer.parameters().Select(p => p.dtype).Distinct()])),
            OnEpoch = context => atEpochEnd.AddRange(context.Model.parameters().Select(p => p.dtype).Distinct()),
        };

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Quick, [checkpoint, probe]);

        inBatches.Should().NotBeEmpty().And.OnlyContain(b => b.Conv == ScalarType.Float32 && b.Conv2 == ScalarType.BFloat16 && b.BatchNorm == ScalarType.Float32 && b.Optimizer.SequenceEqual(new[] { ScalarType.Float32 }));
        atEpochEnd.Distinct().Should().Equal(ScalarType.Float32);
        trained.Model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
        long parameters = trained.Model.parameters().Sum(p => p.numel());
        new FileInfo(checkpoint.LastWeights).Length.Should().BeGreaterThan(4 * parameters, "the checkpoint holds float32 weights (bfloat16 would take 2 bytes each)");
        using Module<Tensor, Tensor> loaded = new CnnFactory().Create(train.ImageShape, 10);
        ModelWeights.Load(loaded, checkpoint.LastWeights);
        Weights(loaded).Should().Equal(Weights(trained.Model));
    }

    [Fact]
    public void A_small_model_learns_in_bfloat16_as_in_float32()
    {
        using InMemoryDataset train = SyntheticData.Bars(512, 3);
        using InMemoryDataset validation = SyntheticData.Bars(256, 4);

        using TrainedModel half = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 4 });
        using TrainedModel full = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 4, Precision = Precision.Float32 });

        half.History.Epochs[^1].TrainLoss.Should().BeLessThan(half.History.Epochs[0].TrainLoss * 0.5);
        half.History.Epochs[^1].ValidationAccuracy.Should().BeGreaterThan(0.9);
        half.History.Epochs[^1].ValidationAccuracy.Should().BeApproximately(full.History.Epochs[^1].ValidationAccuracy!.Value, 0.05);
        half.History.Epochs[^1].TrainLoss.Should().BeApproximately(full.History.Epochs[^1].TrainLoss, 0.1);
    }

    [Fact]
    public void Resuming_a_bfloat16_run_equals_the_uninterrupted_run_and_needs_the_same_precision()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 5);
        using InMemoryDataset validation = SyntheticData.Bars(128, 6);
        TrainerOptions options = Quick with { ChannelsLast = true };
        using TrainedModel uninterrupted = new Trainer().Fit(new CnnFactory(), train, validation, options);

        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        using var cancellation = new CancellationTokenSource();
        var cancelInEpoch3 = new Probe { OnBatch = context => { if (context.Epoch == 3 && context.Batch == 2) cancellation.Cancel(); } };
        var act = () => new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoint, cancelInEpoch3], cancellationToken: cancellation.Token);
        act.Should().Throw<OperationCanceledException>();

        manual_seed(999);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        TrainingHistory resumed = new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint.LastDirectory });

        resumed.Epochs.Select(Figures).Should().BeEquivalentTo(uninterrupted.History.Epochs.Select(Figures), o => o.WithStrictOrdering());
        Weights(model).Should().Equal(Weights(uninterrupted.Model));
        var inFloat32 = () => new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint.LastDirectory, Precision = Precision.Float32 });
        inFloat32.Should().Throw<InvalidOptionException>().WithMessage("*same Precision: it has BFloat16, this run has Float32*");
    }

    [Fact]
    public void Inference_in_bfloat16_agrees_with_float32_and_leaves_the_weights_exactly_as_they_were()
    {
        using InMemoryDataset train = SyntheticData.Bars(384, 7);
        using InMemoryDataset test = SyntheticData.Bars(256, 8);
        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, Quick with { Precision = Precision.Float32 });
        float[] before = Weights(trained.Model);

        EvaluationResult full = new Trainer().Evaluate(trained.Model, test);
        EvaluationResult half = new Trainer().Evaluate(trained.Model, test, precision: Precision.BFloat16);
        using FashionMnist.Baselines.Metrics.Predictions halfPredictions = new Trainer().Predict(trained.Model, test, precision: Precision.BFloat16);

        half.Accuracy.Should().BeApproximately(full.Accuracy, 0.02);
        half.CrossEntropy.Should().BeApproximately(full.CrossEntropy, 0.05);
        halfPredictions.Probabilities.dtype.Should().Be(ScalarType.Float32);
        Weights(trained.Model).Should().Equal(before, "the float32 weights come back exactly");
        trained.Model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
    }

    [Fact]
    public void An_unknown_precision_or_bfloat16_off_the_cpu_is_refused_naming_the_option()
    {
        using InMemoryDataset data = SyntheticData.Bars(64, 9);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(data.ImageShape, 10);

        var unknown = () => (Quick with { Precision = (Precision)7 }).Validate();
        var onCuda = () => (Quick with { Device = new Device(DeviceType.CUDA) }).Validate();
        var evaluateUnknown = () => new Trainer().Evaluate(model, data, precision: (Precision)7);

        unknown.Should().Throw<InvalidOptionException>().WithMessage("*TrainerOptions.Precision*Float32 or BFloat16*");
        onCuda.Should().Throw<InvalidOptionException>().WithMessage("*TrainerOptions.Precision*implemented for CPUs*");
        evaluateUnknown.Should().Throw<InvalidOptionException>().WithMessage("*precision*Float32 or BFloat16*");
    }

    [Fact]
    public void The_cpu_flags_tell_whether_bfloat16_has_hardware_units()
    {
        using var dir = new TempDirectory();
        void Write(string name, string text) => File.WriteAllText(dir.Combine(name), text);
        Write("x86", "processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16 amx_bf16 amx_tile\n");
        Write("old", "processor\t: 0\nflags\t\t: fpu avx2 avx512f\n");
        Write("arm", "processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n");

        BFloat16Support.FindUnits(dir.Combine("x86")).Should().Be("amx_bf16, avx512_bf16");
        BFloat16Support.FindUnits(dir.Combine("old")).Should().BeEmpty();
        BFloat16Support.FindUnits(dir.Combine("arm")).Should().Be("bf16");
        BFloat16Support.FindUnits(dir.Combine("missing")).Should().BeNull();
        BFloat16Support.Describe().Should().NotBeNullOrEmpty();
    }

    sealed class Probe : ITrainingCallback
    {
        public Action<TrainingContext>? OnBatch { get; init; }
        public Action<TrainingContext>? OnEpoch { get; init; }

        public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) => OnBatch?.Invoke(context);

        public void OnEpochEnd(TrainingContext context, EpochRecord record) => OnEpoch?.Invoke(context);
    }
}
