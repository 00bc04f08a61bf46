using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Training;

/// <summary>TrainerOptions.WeightAveraging: the average follows its formula, is what the run evaluates and returns, and resumes exactly.</summary>
public sealed class ExponentialMovingAverageTests
{
    static readonly TrainerOptions Options = new()
    {
        Epochs = 2,
        BatchSize = 64,
        Optimizer = OptimizerSettings.Sgd(0.05, 0.9, 5e-4, nesterov: true),
        WeightAveraging = new ExponentialMovingAverage(0.8, EverySteps: 2),
        Seed = 4,
        Threads = 2,
    };

    /// <summary>Every parameter and floating-point buffer, in order, as doubles.</summary>
    static double[] State(Module model) =>
        [.. model.parameters().Cast<Tensor>().Concat(model.buffers().Where(b => b.is_floating_point())).SelectMany(t => t.data<float>().ToArray()).Select(v => (double)v)];

    /// <summary>Records the weights when training starts, after every batch (the raw weights) and after every epoch (what the run holds then).</summary>
    sealed class Recorder : ITrainingCallback
    {
        public double[] Initial = [];
        public List<double[]> AfterBatch { get; } = [];
        public List<double[]> AfterEpoch { get; } = [];
        public void OnTrainBegin(TrainingContext context) => Initial = State(context.Model);
        public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) => AfterBatch.Add(State(context.Model));
        public void OnEpochEnd(TrainingContext context, EpochRecord record) => AfterEpoch.Add(State(context.Model));
    }

    [Fact]
    public void The_average_follows_its_formula_and_is_what_the_run_evaluates_and_returns()
    {
        using InMemoryDataset train = SyntheticData.Bars(384, 7);
        using InMemoryDataset validation = SyntheticData.Bars(128, 8);
        var recorder = new Recorder();

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Options, [recorder]);

        recorder.AfterBatch.Should().HaveCount(12, "2 epochs of 6 batches");
        // average_0 = the initial weights; at every second step: average = 0.8 * average + 0.2 * weights.
        double[] average = recorder.Initial;
        for (int step = 1; step <= 12; step++)
        {
            if (step % 2 == 0) average = [.. average.Zip(recorder.AfterBatch[step - 1], (a, w) => 0.8 * a + 0.2 * w)];
            if (step % 6 == 0)
            {
                double[] held = recorder.AfterEpoch[step / 6 - 1];
                held.Zip(average, (h, e) => Math.Abs(h - e) - 1e-5 * Math.Max(1, Math.Abs(e))).Max().Should().BeLessThanOrEqualTo(0,
                    $"after epoch {step / 6} the run holds the average of the raw weights");
            }
        }
        recorder.AfterBatch[^1].Zip(average, (w, e) => Math.Abs(w - e)).Max().Should().BeGreaterThan(1e-3, "the raw weights differ from their average");
        State(trained.Model).Should().Equal(recorder.AfterEpoch[^1], "Fit returns the average");
        new Trainer().Evaluate(trained.Model, validation).Accuracy.Should().Be(trained.History.Epochs[^1].ValidationAccuracy!.Value, "validation scored the average");
    }

    [Fact]
    public void A_run_with_averaging_resumes_to_the_uninterrupted_history_and_weights()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 9);
        using InMemoryDataset validation = SyntheticData.Bars(128, 10);
        TrainerOptions options = Options with { Epochs = 3, ChannelsLast = true };
        using TrainedModel uninterrupted = new Trainer().Fit(new CnnFactory(), train, validation, options);

        (Module<Tensor, Tensor> model, TrainingHistory resumed, string checkpoint) = StoppedAndResumed.Run(new CnnFactory(), train, validation, options, 2, dir.Path);
        using Module<Tensor, Tensor> resumedModel = model;
        resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy))
            .Should().Equal(uninterrupted.History.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)));
        State(model).Should().Equal(State(uninterrupted.Model));

        Action other = () => new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint, WeightAveraging = null });
        other.Should().Throw<InvalidOptionException>().WithMessage("*same WeightAveraging*EMA(decay 0.8 every 2 steps)*none*");
    }

    [Fact]
    public void Averaging_combines_with_bfloat16_training()
    {
        using InMemoryDataset train = SyntheticData.Bars(384, 11);
        using InMemoryDataset validation = SyntheticData.Bars(128, 12);

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Options with { Epochs = 1, Precision = Precision.BFloat16 });

        trained.Model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
        State(trained.Model).Should().OnlyContain(v => double.IsFinite(v));
        new Trainer().Evaluate(trained.Model, validation, precision: Precision.BFloat16).Accuracy.Should().Be(trained.History.Epochs[^1].ValidationAccuracy!.Value, "validation (in bfloat16) scored the average");
    }

    [Fact]
    public void Bad_settings_name_the_option()
    {
        Action decay = () => (Options with { WeightAveraging = new ExponentialMovingAverage(1, 0) }).Validate();

        decay.Should().Throw<InvalidOptionException>()
            .WithMessage("*TrainerOptions.WeightAveraging.Decay*0 < decay < 1*")
            .WithMessage("*TrainerOptions.WeightAveraging.EverySteps*1 or more*");
    }
}

/// <summary>README's "Pieces of fast-training recipes" lines, as written.</summary>
public sealed class FastTrainingPiecesReadmeTests
{
    [Fact]
    public void The_readme_options_are_valid_and_train()
    {
        File.ReadAllText(Repository.File("README.md")).Should().Contain("""
            TrainerOptions options = BaselineRecipes.For("resnet-20").Options with
            {
                Epochs = 30,
                Optimizer = OptimizerSettings.Sgd(0.1, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(LearningRateScale: 1, WeightDecay: 0) },
                Schedule = ScheduleOptions.WarmupLinear(warmupFraction: 0.1),
                WeightAveraging = new ExponentialMovingAverage(Decay: 0.99, EverySteps: 5),
                LabelSmoothing = 0.1,
            };
            """);
        TrainerOptions options = FashionMnist.Baselines.Recipes.BaselineRecipes.For("resnet-20").Options with
        {
            Epochs = 30,
            Optimizer = OptimizerSettings.Sgd(0.1, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(LearningRateScale: 1, WeightDecay: 0) },
            Schedule = ScheduleOptions.WarmupLinear(warmupFraction: 0.1),
            WeightAveraging = new ExponentialMovingAverage(Decay: 0.99, EverySteps: 5),
            LabelSmoothing = 0.1,
        };
        using InMemoryDataset train = SyntheticData.Bars(256, 13);

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, options with { Epochs = 1, BatchSize = 64, Threads = 2 });

        trained.History.Epochs.Should().ContainSingle().Which.TrainLoss.Should().BeGreaterThan(0);
    }
}
