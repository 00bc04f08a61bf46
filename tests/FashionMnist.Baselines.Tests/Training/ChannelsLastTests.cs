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

namespace FashionMnist.Baselines.Tests.Training;

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
        Optimizer = OptimizerOptions.Sgd(0.05, 0.9, 5e-4) with { Nesterov = true },
        Seed = 11,
        Threads = 2,
    };

    static float[] Weights(Module model) => model.parameters().SelectMany(p => p.contiguous().data<float>().ToArray()).ToArray();

    /// <summary>Whether a 4-D tensor has channels-last strides.</summary>
    static bool IsChannelsLast(Tensor t) => t.stride()[1] == 1 && t.stride()[3] == t.shape[1];

    [Fact]
    public void Fit_refuses_the_model_whose_channels_last_convolution_crashes_LibTorch_before_any_training()
    {
        using InMemoryDataset train = SyntheticData.Bars(8, 25);
        var options = Options with { Epochs = 1, BatchSize = 4, ChannelsLast = true };
        var steps = new List<int>();

        var fit = () => new Trainer().Fit(new MobileNetFactory(), train, null, options, [new LayoutProbe(_ => steps.Add(1))]).Dispose();

        fit.Should().Throw<InvalidOptionException>().Which.Message.Should().Contain("TrainerOptions.ChannelsLast").And.Contain("SIGFPE");
        steps.Should().BeEmpty();
        // The narrower MobileNet on the same input is fine channels-last.
        using TrainedModel narrow = new Trainer().Fit(new MobileNetFactory(0.5), train, null, options);
        narrow.History.Epochs.Should().HaveCount(1);
    }

    /// <summary>
    /// The weights whose two layouts differ in memory: more than one input channel and a kernel larger than 1x1 (a 1x1
    /// kernel, like a one-channel image, is stored the same way in both, and LibTorch leaves its strides as they are).
    /// </summary>
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
        var probe = new LayoutProbe(model => layoutsDuringTraining.Add(MultiChannelWeights(model).All(IsChannelsLast)));
        // A small learning rate, so that float rounding (sums in another order) is not amplified into another trajectory.
        TrainerOptions options = Options with { Optimizer = OptimizerOptions.Sgd(0.002, 0.9, 5e-4) with { Nesterov = true } };

        using TrainedModel standard = new Trainer().Fit(Model, train, validation, options);
        using TrainedModel channelsLast = new Trainer().Fit(Model, train, validation, options with { ChannelsLast = true }, [probe]);

        layoutsDuringTraining.Should().HaveCount(3 * 6).And.OnlyContain(x => x, "every step ran with channels-last weights");
        channelsLast.Model.parameters().Should().OnlyContain(p => p.is_contiguous(), "Fit hands back the standard layout");
        for (int i = 0; i < 3; i++)
        {
            EpochRecord a = standard.History.Epochs[i], b = channelsLast.History.Epochs[i];
            b.TrainLoss.Should().BeApproximately(a.TrainLoss, 1e-2);
            b.ValidationLoss!.Value.Should().BeApproximately(a.ValidationLoss!.Value, 1e-2);
        }
        float[] expected = Weights(standard.Model), actual = Weights(channelsLast.Model);
        actual.Zip(expected, (x, y) => Math.Abs(x - y)).Max().Should().BeLessThan(1e-2f);
    }

    [Fact]
    public void Checkpoints_of_channels_last_training_save_load_and_resume_exactly()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 23);
        using InMemoryDataset validation = SyntheticData.Bars(128, 24);
        foreach (OptimizerOptions optimizer in new[] { Options.Optimizer, OptimizerOptions.Adam(1e-3) })
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
                MultiChannelWeights(model).Should().OnlyContain(p => IsChannelsLast(p), "saving puts the layout back");
                epoch2 = Weights(model);
                if (epoch == 2) cancellation.Cancel();
            });
            var act = () => new Trainer().Fit(Model, train, validation, options, [checkpoint, saver], cancellationToken: cancellation.Token);
            act.Should().Throw<OperationCanceledException>();

            using Module<Tensor, Tensor> fromFile = Model.Create(train.ImageShape, 10);
            ModelWeights.Load(fromFile, weights);
            fromFile.parameters().Should().OnlyContain(p => p.is_contiguous());
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
        MultiChannelWeights(source).Should().OnlyContain(p => IsChannelsLast(p));

        ModelWeights.Save(source, dir.Combine("w.bin"));

        MultiChannelWeights(source).Should().OnlyContain(p => IsChannelsLast(p), "saving leaves the model's layout as it was");
        manual_seed(123);
        using Module<Tensor, Tensor> target = Model.Create(new ImageShape(1, 28, 28), 10);
        ChannelsLastLayout.Apply(target);
        ModelWeights.Load(target, dir.Combine("w.bin"));
        Weights(target).Should().Equal(values);
        MultiChannelWeights(target).Should().OnlyContain(p => IsChannelsLast(p), "loading keeps the layout too");
    }

    sealed class LayoutProbe(Action<Module> onBatch, Action<Module, int>? onEpoch = null) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) => onBatch(context.Model);

        public void OnEpochEnd(TrainingContext context, EpochRecord record) => onEpoch?.Invoke(context.Model, record.Epoch);
    }
}
