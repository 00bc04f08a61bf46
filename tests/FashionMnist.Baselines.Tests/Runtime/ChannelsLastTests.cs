using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Parameter = TorchSharp.Modules.Parameter;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Tests.Runtime;

/// <summary>TrainerOptions.ChannelsLast: the same training in another memory layout, and files in the standard one.</summary>
public sealed class ChannelsLastTests
{
    // ResNet-20: convolutions with BatchNorm, strided and 1x1 projection shortcuts, and no dropout (whose masks would be
    // drawn in memory order and so differ between layouts).
    static readonly IModelFactory Model = new ResNetFactory(20);

    static readonly TrainerOptions Options = new()
    {
        Epochs = 3,
        BatchSize = 64,
        Optimizer = OptimizerSettings.Sgd(0.05, 0.9, 5e-4) with { Nesterov = true },
        Seed = 11,
        Threads = 2,
    };

    static float[] Weights(Module model) => model.parameters().SelectMany(p => p.contiguous().data<float>().ToArray()).ToArray();

    /// <summary>Whether a 4-D tensor has channels-last strides.</summary>
    static bool IsChannelsLast(Tensor t) => t.stride()[1] == 1 && t.stride()[3] == t.shape[1];

    /// <summary>Whether a 4-D tensor has exactly the strides PyTorch's <c>channels_last</c> gives it.</summary>
    static bool HasChannelsLastStrides(Tensor t) =>
        t.stride().SequenceEqual([t.shape[1] * t.shape[2] * t.shape[3], 1, t.shape[3] * t.shape[1], t.shape[1]]);

    [Theory]
    [InlineData(64, 32, 1, 1)] // a 1x1 kernel
    [InlineData(32, 1, 3, 3)]  // a depthwise or one-channel kernel
    [InlineData(4, 1, 28, 28)] // a batch of grey images
    [InlineData(16, 3, 3, 3)]
    public void Of_gives_channels_last_strides_also_where_both_layouts_hold_the_same_bytes(long n, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        Tensor t = randn(n, c, h, w);

        Tensor channelsLast = ChannelsLastLayout.Of(t);

        HasChannelsLastStrides(channelsLast).Should().BeTrue($"strides [{string.Join(", ", channelsLast.stride())}]");
        ChannelsLastLayout.HasStandardStrides(channelsLast).Should().BeFalse();
        channelsLast.eq(t).all().item<bool>().Should().BeTrue();
        ChannelsLastLayout.HasStandardStrides(ChannelsLastLayout.Standard(channelsLast)).Should().BeTrue();
    }

    [Fact]
    public void A_channels_last_1x1_kernel_makes_its_convolution_produce_channels_last_output()
    {
        // Why exact strides matter although the bytes are the same: LibTorch picks the output layout from the strides.
        using var scope = NewDisposeScope();
        Tensor input = randn(4, 32, 7, 7), weight = randn(64, 32, 1, 1);

        HasChannelsLastStrides(functional.conv2d(input, weight)).Should().BeFalse();
        HasChannelsLastStrides(functional.conv2d(input, ChannelsLastLayout.Of(weight))).Should().BeTrue();
    }

    [Theory]
    [InlineData(MobileNetInput.Native28)]
    [InlineData(MobileNetInput.Resized56)]
    public void MobileNet_trains_channels_last_throughout_except_the_convolution_oneDNN_cannot_run(MobileNetInput input)
    {
        // Width 1.0 has the 512 to 1,024 pointwise convolution that LibTorch 2.10's oneDNN dies on (SIGFPE) when its
        // input or weight is channels-last: a regression here ends the test process.
        using InMemoryDataset train = SyntheticData.Bars(8, 25);
        var options = Options with { Epochs = 1, BatchSize = 4, ChannelsLast = true };
        var batchNormInputs = new List<(string Name, bool ChannelsLast)>();
        var weights = new List<(string Name, bool ChannelsLast)>();
        var probe = new LayoutProbe(model =>
        {
            if (weights.Count > 0) return;
            weights.AddRange(model.named_parameters().Where(p => p.parameter.dim() == 4)
                .Select(p => (p.name, HasChannelsLastStrides(p.parameter))));
            foreach ((string name, Module module) in model.named_modules())
            {
                if (module is TorchSharp.Modules.BatchNorm2d batchNorm)
                {
                    batchNorm.register_forward_pre_hook((_, x) => { batchNormInputs.Add((name, HasChannelsLastStrides(x))); return x; });
                }
            }
        });

        using TrainedModel trained = new Trainer().Fit(new MobileNetFactory(1.0, input), train, null, options, [probe]);

        trained.History.Epochs.Should().HaveCount(1);
        weights.Should().HaveCount(27);
        weights.Where(w => !w.ChannelsLast).Select(w => w.Name).Should().Equal(["features.block12_pw.weight"]);
        batchNormInputs.Should().HaveCount(27, "the hooks saw the second batch");
        batchNormInputs.Where(b => !b.ChannelsLast).Select(b => b.Name).Should().Equal(["features.block12_pw_bn"]);
        trained.Model.parameters().Should().OnlyContain(p => ChannelsLastLayout.HasStandardStrides(p), "Fit hands back the standard layout");
    }

    [Fact]
    public void Fit_refuses_a_model_with_an_unguarded_convolution_that_oneDNN_cannot_run_channels_last()
    {
        using InMemoryDataset train = SyntheticData.Bars(8, 25);
        var options = Options with { Epochs = 1, BatchSize = 4, ChannelsLast = true };
        var steps = new List<int>();
        using Module<Tensor, Tensor> unguarded = Sequential(
            ("widen", Conv2d(1, 512, 3, padding: 1)), ("project", Conv2d(512, 1024, 1)),
            ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("classify", Linear(1024, 10)));

        var fit = () => new Trainer().Fit(unguarded, train, null, options, [new LayoutProbe(_ => steps.Add(1))]);

        fit.Should().Throw<InvalidOptionException>().Which.Message.Should().Contain("TrainerOptions.ChannelsLast")
            .And.Contain("'project'").And.Contain("SIGFPE").And.Contain("StandardLayout");
        steps.Should().BeEmpty();
        // With the layout module right before it, the convolution runs in the standard layout and training goes ahead.
        using Module<Tensor, Tensor> guarded = Sequential(
            ("widen", Conv2d(1, 512, 3, padding: 1)), ("standard", new StandardLayout()), ("project", Conv2d(512, 1024, 1)),
            ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("classify", Linear(1024, 10)));
        new Trainer().Fit(guarded, train, null, options).Epochs.Should().HaveCount(1);
        // A StandardLayout in another container does not count, even where TorchSharp lists it just before the layer.
        using Module<Tensor, Tensor> elsewhere = Sequential(
            ("stem", Sequential(("widen", Conv2d(1, 512, 3, padding: 1)), ("standard", new StandardLayout()))),
            ("mix", Conv2d(512, 512, 3, padding: 1)),
            ("head", Sequential(("project", Conv2d(512, 1024, 1)), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("classify", Linear(1024, 10)))));
        var nested = () => new Trainer().Fit(elsewhere, train, null, options);
        nested.Should().Throw<InvalidOptionException>().Which.Message.Should().Contain("'head.project'");
    }

    [Fact]
    public void A_refused_Fit_leaves_the_model_and_the_random_generator_as_they_were()
    {
        // A resumed run of a model that cannot train channels-last: the refusal must come before the checkpoint's
        // weights are loaded into the model and before Fit seeds the process-wide generator.
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(8, 25);
        static Module<Tensor, Tensor> Unguarded() => Sequential(
            ("widen", Conv2d(1, 512, 3, padding: 1)), ("project", Conv2d(512, 1024, 1)),
            ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("classify", Linear(1024, 10)));
        var checkpoint = new ModelCheckpoint(dir.Path);
        using (Module<Tensor, Tensor> trained = Unguarded())
        {
            new Trainer().Fit(trained, train, train, Options with { Epochs = 2, BatchSize = 4 }, [checkpoint]);
        }
        using Module<Tensor, Tensor> fresh = Unguarded();
        float[] before = Weights(fresh);
        manual_seed(123);
        float[] expectedDraw = rand(4).data<float>().ToArray();
        manual_seed(123);

        var resume = () => new Trainer().Fit(fresh, train, train,
            Options with { Epochs = 2, BatchSize = 4, ChannelsLast = true, ResumeFrom = checkpoint.LastDirectory });

        resume.Should().Throw<InvalidOptionException>().Which.Message.Should().Contain("TrainerOptions.ChannelsLast");
        Weights(fresh).Should().Equal(before);
        rand(4).data<float>().ToArray().Should().Equal(expectedDraw);
    }

    /// <summary>
    /// The weights whose two layouts differ in memory: more than one input channel and a kernel larger than 1x1 (a 1x1
    /// kernel, like a one-channel image, holds the same bytes in both; only its strides differ).
    /// </summary>
    static Parameter[] FourDimensionalWeights(Module model) => model.parameters().Where(p => p.dim() == 4).ToArray();

    static Parameter[] MultiChannelWeights(Module model) =>
        model.parameters().Where(p => p.dim() == 4 && p.shape[1] > 1 && p.shape[2] * p.shape[3] > 1).ToArray();

    [Fact]
    public void A_training_step_computes_the_gradients_as_accurately_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        using InMemoryDataset data = SyntheticData.Bars(64, 20);
        using Tensor indices = arange(64);
        using Batch batch = data.GetBatch(indices, CPU);
        Module<Tensor, Tensor> Create()
        {
            manual_seed(3);
            return Model.Create(data.ImageShape, 10);
        }
        using Module<Tensor, Tensor> exact = Create(), standard = Create(), channelsLast = Create();
        exact.to(ScalarType.Float64); // the reference: float32 rounding errors are what is compared
        ChannelsLastLayout.Apply(channelsLast);

        functional.cross_entropy(exact.forward(batch.Images.to(ScalarType.Float64)), batch.Labels).backward();
        functional.cross_entropy(standard.forward(batch.Images), batch.Labels).backward();
        functional.cross_entropy(channelsLast.forward(batch.Images), batch.Labels).backward();

        var parameters = exact.named_parameters().Zip(standard.parameters(), channelsLast.parameters()).ToArray();
        foreach (((string name, Parameter reference), Parameter a, Parameter b) in parameters)
        {
            // BatchNorm after each convolution cancels most of the gradient, so float32 gradients of early layers are
            // only accurate to about 1% of their norm, in either layout; channels-last must be no less accurate.
            double Error(Parameter p) => (p.grad!.to(ScalarType.Float64) - reference.grad!).norm().item<double>() / reference.grad!.norm().item<double>();
            double standardError = Error(a), channelsLastError = Error(b);
            channelsLastError.Should().BeLessThan(Math.Max(3 * standardError, 1e-6), $"the gradient of {name}: standard layout {standardError:E2}");
        }
        MultiChannelWeights(channelsLast).Select(p => p.grad!).Should().OnlyContain(g => IsChannelsLast(g), "gradients follow their weights' layout");
    }

    [Fact]
    public void Training_channels_last_follows_standard_training_and_returns_a_standard_model()
    {
        using InMemoryDataset train = SyntheticData.Bars(384, 21);
        using InMemoryDataset validation = SyntheticData.Bars(128, 22);
        var layoutsDuringTraining = new List<bool>();
        var probe = new LayoutProbe(model => layoutsDuringTraining.Add(FourDimensionalWeights(model).All(HasChannelsLastStrides)));
        // A small learning rate, so that float rounding (sums in another order) is not amplified into another trajectory.
        TrainerOptions options = Options with { Optimizer = OptimizerSettings.Sgd(0.002, 0.9, 5e-4) with { Nesterov = true } };

        using TrainedModel standard = new Trainer().Fit(Model, train, validation, options);
        using TrainedModel channelsLast = new Trainer().Fit(Model, train, validation, options with { ChannelsLast = true }, [probe]);

        layoutsDuringTraining.Should().HaveCount(3 * 6).And.OnlyContain(x => x, "every step ran with channels-last weights");
        channelsLast.Model.parameters().Should().OnlyContain(p => ChannelsLastLayout.HasStandardStrides(p), "Fit hands back the standard layout");
        for (int i = 0; i < 3; i++)
        {
            EpochRecord a = standard.History.Epochs[i], b = channelsLast.History.Epochs[i];
            b.TrainLoss.Should().BeApproximately(a.TrainLoss, 1e-2);
            b.ValidationLoss!.Value.Should().BeApproximately(a.ValidationLoss!.Value, 1e-2);
        }
        float[] expected = Weights(standard.Model), actual = Weights(channelsLast.Model);
        actual.Zip(expected, (x, y) => Math.Abs(x - y)).Max().Should().BeLessThan(1e-2f);
        // The per-weight tolerance above is coarse next to 18 small steps. The scale of pure rounding drift: the same
        // training on one thread instead of two (the same layout, float sums in another order). Measured here: 2.9e-2
        // apart in L2 norm, and the channels-last run 3.3e-2 from the standard one, while training moved the weights
        // 0.37 from their start. A layer left out of the channels-last updates would be off by its own movement.
        double rounding;
        int threads = get_num_threads();
        TrainedModel oneThread;
        try
        {
            oneThread = new Trainer().Fit(Model, train, validation, options with { Threads = 1 });
        }
        finally
        {
            set_num_threads(threads); // the thread count is process-wide: the next tests get theirs back
        }
        using (oneThread) rounding = Distance(Weights(oneThread.Model), expected);
        static double Distance(float[] x, float[] y) => Math.Sqrt(x.Zip(y, (a, b) => (double)(a - b) * (a - b)).Sum());
        Distance(actual, expected).Should().BeLessThan(3 * rounding, "the layouts differ only by float rounding");
    }

    [Fact]
    public void Checkpoints_of_channels_last_training_save_load_and_resume_exactly()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 23);
        using InMemoryDataset validation = SyntheticData.Bars(128, 24);
        foreach (OptimizerSettings optimizer in new[] { Options.Optimizer, OptimizerSettings.Adam(1e-3) })
        {
            TrainerOptions options = Options with { ChannelsLast = true, Optimizer = optimizer };
            using TrainedModel uninterrupted = new Trainer().Fit(Model, train, validation, options);

            // Cancelled in epoch 3, after checkpoints and a weights file saved by a callback while the weights were channels-last.
            string weights = dir.Combine($"{optimizer.Kind}-epoch.bin");
            float[] epoch2 = [];
            var checkpoint = new ModelCheckpoint(dir.Combine($"{optimizer.Kind}-checkpoints"));
            using var cancellation = new CancellationTokenSource();
            var saver = new LayoutProbe(_ => { }, (model, epoch) =>
            {
                ModelWeights.Save(model, weights);
                FourDimensionalWeights(model).Should().OnlyContain(p => HasChannelsLastStrides(p), "saving puts the layout back");
                epoch2 = Weights(model);
                if (epoch == 2) cancellation.Cancel();
            });
            var act = () => new Trainer().Fit(Model, train, validation, options, [checkpoint, saver], cancellationToken: cancellation.Token);
            act.Should().Throw<OperationCanceledException>();

            using Module<Tensor, Tensor> fromFile = Model.Create(train.ImageShape, 10);
            ModelWeights.Load(fromFile, weights);
            fromFile.parameters().Should().OnlyContain(p => ChannelsLastLayout.HasStandardStrides(p));
            Weights(fromFile).Should().Equal(epoch2, "the file holds the weights of epoch 2");

            using Module<Tensor, Tensor> resumedModel = Model.Create(train.ImageShape, 10);
            TrainingHistory resumed = new Trainer().Fit(resumedModel, train, validation, options with { ResumeFrom = checkpoint.LastDirectory });

            resumed.Epochs.Select(e => e.TrainLoss).Should().Equal(uninterrupted.History.Epochs.Select(e => e.TrainLoss), $"{optimizer.Kind}");
            Weights(resumedModel).Should().Equal(Weights(uninterrupted.Model), $"resuming {optimizer.Kind} continues exactly");
        }
    }

    [Fact]
    public void Weights_files_round_trip_from_and_into_channels_last_models()
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> source = Model.Create(new ImageShape(1, 28, 28), 10);
        float[] values = Weights(source);
        ChannelsLastLayout.Apply(source);
        FourDimensionalWeights(source).Should().OnlyContain(p => HasChannelsLastStrides(p));

        ModelWeights.Save(source, dir.Combine("w.bin"));

        FourDimensionalWeights(source).Should().OnlyContain(p => HasChannelsLastStrides(p), "saving leaves the model's layout as it was");
        manual_seed(123);
        using Module<Tensor, Tensor> target = Model.Create(new ImageShape(1, 28, 28), 10);
        ChannelsLastLayout.Apply(target);
        ModelWeights.Load(target, dir.Combine("w.bin"));
        Weights(target).Should().Equal(values);
        FourDimensionalWeights(target).Should().OnlyContain(p => HasChannelsLastStrides(p), "loading keeps the layout too");
    }

    [Fact]
    public void Saving_gives_every_parameter_its_own_strides_back()
    {
        using var dir = new TempDirectory();
        using var model = Linear(3, 4);
        using (no_grad()) model.weight!.set_(randn(3, 4).t()); // a 4x3 weight with transposed strides
        long[] strides = model.weight!.stride();
        float[] values = model.weight.contiguous().data<float>().ToArray();

        ModelWeights.Save(model, dir.Combine("w.bin"));

        model.weight!.stride().Should().Equal(strides);
        model.weight.contiguous().data<float>().ToArray().Should().Equal(values);
    }

    sealed class LayoutProbe(Action<Module> onBatch, Action<Module, int>? onEpoch = null) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) => onBatch(context.Model);

        public void OnEpochEnd(TrainingContext context, EpochRecord record) => onEpoch?.Invoke(context.Model, record.Epoch);
    }
}
