using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Training;

public sealed class TrainerTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    static readonly TrainerOptions Quick = new()
    {
        Epochs = 3,
        BatchSize = 64,
        Optimizer = OptimizerSettings.Adam(1e-3),
        Seed = 5,
        Threads = 2,
    };

    /// <summary>Figures that must repeat exactly (times excluded).</summary>
    static object[] Figures(EpochRecord e) =>
        [e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss ?? -1, e.ValidationAccuracy ?? -1, e.MonitorLoss ?? -1, e.LearningRate];

    static float[] Weights(Module model) => model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [RealDataFact]
    public void Fit_on_a_small_real_subset_learns_well_above_chance()
    {
        using InMemoryDataset train = data.Train.Take(3000);
        using InMemoryDataset validation = data.Test.Take(1000);
        var reports = new List<TrainingProgress>();

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 2 },
            progress: new SynchronousProgress<TrainingProgress>(reports.Add));

        trained.History.Epochs.Should().HaveCount(2);
        trained.History.Epochs[^1].ValidationAccuracy.Should().BeGreaterThan(0.65, "chance is 0.1");
        trained.History.Epochs[^1].TrainLoss.Should().BeLessThan(trained.History.Epochs[0].TrainLoss);
        reports.Count(r => r.Completed is null).Should().Be(2 * 47, "one report per batch");
        reports.Where(r => r.Completed is not null).Select(r => r.Epoch).Should().Equal(1, 2);
        EvaluationResult result = new Trainer().Evaluate(trained.Model, validation);
        result.Accuracy.Should().Be(trained.History.Epochs[^1].ValidationAccuracy!.Value);
        result.Metrics.Matrix.Total.Should().Be(1000);
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_weights()
    {
        using InMemoryDataset train = SyntheticData.Bars(384, 1);
        using InMemoryDataset validation = SyntheticData.Bars(128, 2);
        TrainerOptions options = Quick with { Augmentation = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist) };

        using TrainedModel first = new Trainer().Fit(new CnnFactory(), train, validation, options);
        using TrainedModel second = new Trainer().Fit(new CnnFactory(), train, validation, options);
        using TrainedModel other = new Trainer().Fit(new CnnFactory(), train, validation, options with { Seed = 6 });

        second.History.Epochs.Select(Figures).Should().BeEquivalentTo(first.History.Epochs.Select(Figures), o => o.WithStrictOrdering());
        Weights(second.Model).Should().Equal(Weights(first.Model));
        other.History.Epochs[0].TrainLoss.Should().NotBe(first.History.Epochs[0].TrainLoss);
    }

    [Fact]
    public void Resuming_after_cancellation_equals_the_uninterrupted_run_and_the_checkpoint_survives()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 3);
        using InMemoryDataset validation = SyntheticData.Bars(128, 4);
        TrainerOptions options = Quick with
        {
            Epochs = 4,
            Optimizer = OptimizerSettings.Sgd(0.05, 0.9, 5e-4),
            // A min delta no accuracy gain reaches: the rate halves after every epoch but the first, so the resumed
            // run only matches if the plateau state (rate, best, wait) comes back from the checkpoint.
            Schedule = ScheduleOptions.Plateau(0.5, 1, MonitoredMetric.ValidationAccuracy) with { MinDelta = 2 },
            Augmentation = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist),
        };
        var optimizerRates = new List<double>();
        var readRate = new CallbackProbe { OnBatch = (context, _) => optimizerRates.Add(context.Optimizer.ParamGroups.First().LearningRate) };
        using TrainedModel uninterrupted = new Trainer().Fit(new CnnFactory(), train, validation, options, [readRate]);
        uninterrupted.History.Epochs.Select(e => e.LearningRate).Should().Equal(0.05, 0.05, 0.025, 0.0125);
        optimizerRates.Distinct().Should().Equal([0.05, 0.025, 0.0125], "the optimizer steps with the scheduled rate");

        // Interrupted run: cancel during epoch 3, after the checkpoint of epoch 2.
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        checkpoint.LastSavedEpoch.Should().BeNull();
        using var cancellation = new CancellationTokenSource();
        var cancelInEpoch3 = new CallbackProbe { OnBatch = (context, batch) => { if (context.Epoch == 3 && batch == 2) cancellation.Cancel(); } };
        var act = () => new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoint, cancelInEpoch3], cancellationToken: cancellation.Token);
        act.Should().Throw<OperationCanceledException>();
        TrainingCheckpoint.EpochOf(checkpoint.LastDirectory).Should().Be(2, "the checkpoint of the last completed epoch is intact");
        checkpoint.LastSavedEpoch.Should().Be(2);

        manual_seed(999); // the resumed run must not depend on the global state before it
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        TrainingHistory resumed = new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint.LastDirectory });

        resumed.Epochs.Select(Figures).Should().BeEquivalentTo(uninterrupted.History.Epochs.Select(Figures), o => o.WithStrictOrdering());
        Weights(model).Should().Equal(Weights(uninterrupted.Model));
    }

    [Fact]
    public void A_save_killed_between_its_renames_is_repaired_when_the_run_resumes()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(256, 9);
        using InMemoryDataset validation = SyntheticData.Bars(64, 10);
        TrainerOptions options = Quick with { Epochs = 3 };
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        using var cancellation = new CancellationTokenSource();
        var cancelInEpoch2 = new CallbackProbe { OnBatch = (context, batch) => { if (context.Epoch == 2 && batch == 1) cancellation.Cancel(); } };
        var act = () => new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoint, cancelInEpoch2], cancellationToken: cancellation.Token);
        act.Should().Throw<OperationCanceledException>();

        // What a process killed between the two renames of the next save leaves behind: the epoch-1 checkpoint under its
        // temporary name, a half-written new one, and no "last" at all.
        string previous = dir.Combine("checkpoints", ".last.previous"), partial = dir.Combine("checkpoints", ".last.partial");
        Directory.Move(checkpoint.LastDirectory, previous);
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "state.json"), "{ half");

        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        // Given as a user might type it, with a trailing separator.
        string resumeFrom = checkpoint.LastDirectory + Path.DirectorySeparatorChar;
        TrainingHistory resumed = new Trainer().Fit(model, train, validation, options with { ResumeFrom = resumeFrom }, [checkpoint]);

        resumed.Epochs.Select(e => e.Epoch).Should().Equal(1, 2, 3);
        TrainingCheckpoint.EpochOf(checkpoint.LastDirectory).Should().Be(3);
        Directory.Exists(previous).Should().BeFalse("the restored checkpoint's leftovers are cleaned up");
        Directory.Exists(partial).Should().BeFalse();
    }

    [Fact]
    public void A_checkpoint_resumes_only_under_the_same_augmentation_settings_and_label_smoothing()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(128, 11);
        TrainerOptions options = Quick with
        {
            Epochs = 2,
            Augmentation = new AugmentationPipeline(new RandomCrop(4), new RandomErasing(probability: 0.5)),
            LabelSmoothing = 0.1,
        };
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        new Trainer().Fit(new CnnFactory(), train, SyntheticData.Bars(64, 12), options, [checkpoint]).Dispose();

        foreach (TrainerOptions changed in new[]
        {
            options with { Augmentation = new AugmentationPipeline(new RandomCrop(4), new RandomErasing(probability: 0.3)) },
            options with { Augmentation = new AugmentationPipeline(new RandomCrop(2), new RandomErasing(probability: 0.5)) },
            options with { LabelSmoothing = 0 },
            options with { GradientClipNorm = 1.0 },
        })
        {
            using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
            var act = () => new Trainer().Fit(model, train, null, changed with { ResumeFrom = checkpoint.LastDirectory });
            act.Should().Throw<InvalidOptionException>().WithMessage("*a checkpoint made with the same*");
        }
        using Module<Tensor, Tensor> same = new CnnFactory().Create(train.ImageShape, 10);
        var rebuilt = options with { Augmentation = new AugmentationPipeline(new RandomCrop(4), new RandomErasing(probability: 0.5)) };
        new Trainer().Fit(same, train, null, rebuilt with { ResumeFrom = checkpoint.LastDirectory }).Epochs
            .Should().HaveCount(2, "equal settings in new objects resume");
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        using InMemoryDataset train = SyntheticData.Bars(256, 5);
        using InMemoryDataset validation = SyntheticData.Bars(128, 6);
        // A min delta this large means no epoch after the first counts as an improvement.
        using var stopping = new EarlyStopping(MonitoredMetric.ValidationLoss, patience: 2, minDelta: 100);
        float[]? afterEpoch1 = null;
        var probe = new CallbackProbe { OnEpoch = (context, record) => { if (record.Epoch == 1) afterEpoch1 = Weights(context.Model); } };

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 10 }, [probe, stopping]);

        trained.History.Epochs.Should().HaveCount(3);
        stopping.StoppedEpoch.Should().Be(3);
        stopping.BestEpoch.Should().Be(1);
        Weights(trained.Model).Should().Equal(afterEpoch1);
    }

    [Fact]
    public void An_empty_set_is_refused_by_name_before_any_training()
    {
        using InMemoryDataset train = SyntheticData.Bars(64, 15);
        using InMemoryDataset empty = SyntheticData.Bars(0, 16);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);

        FluentActions.Invoking(() => new Trainer().Fit(model, train, empty, Quick)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "validation").WithMessage("The validation set is empty*");
        FluentActions.Invoking(() => new Trainer().Fit(model, empty, null, Quick)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "train");
        FluentActions.Invoking(() => new Trainer().Evaluate(model, empty)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "data");
    }

    [Fact]
    public void A_run_that_stopped_early_stays_stopped_when_resumed()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(256, 13);
        using InMemoryDataset validation = SyntheticData.Bars(64, 14);
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        TrainerOptions options = Quick with { Epochs = 10 };
        using (var stopping = new EarlyStopping(MonitoredMetric.ValidationLoss, patience: 2, minDelta: 100))
        {
            new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoint, stopping]).Dispose();
            stopping.StoppedEpoch.Should().Be(3);
        }

        using var again = new EarlyStopping(MonitoredMetric.ValidationLoss, patience: 2, minDelta: 100);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        TrainingHistory resumed = new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint.LastDirectory }, [again]);

        resumed.Epochs.Should().HaveCount(3, "patience was used up before the checkpoint");
        again.StoppedEpoch.Should().Be(3);
    }

    [Fact]
    public void A_huge_learning_rate_stops_with_the_epoch_and_batch_and_keeps_the_last_checkpoint()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(256, 7);
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"), MonitoredMetric.ValidationLoss);
        var options = Quick with { Epochs = 5, Optimizer = OptimizerSettings.Sgd(1e4, 0.9), Seed = 1 };

        var act = () => new Trainer().Fit(new CnnFactory(), train, SyntheticData.Bars(64, 8), options, [checkpoint]);

        var error = act.Should().Throw<NonFiniteLossException>().Which;
        error.Message.Should().Contain($"epoch {error.Epoch}, batch {error.Batch}");
        error.Batch.Should().BeGreaterThan(0);
        if (error.Epoch > 1) TrainingCheckpoint.EpochOf(checkpoint.LastDirectory).Should().Be(error.Epoch - 1);
        else Directory.Exists(checkpoint.LastDirectory).Should().BeFalse("no epoch finished, so no checkpoint was written");
    }

    [Fact]
    public void A_loss_that_turns_non_finite_in_epoch_2_leaves_epoch_1s_checkpoint_intact()
    {
        // The weights are poisoned as epoch 2 begins, so the failure lands there for sure (the test above cannot
        // choose its epoch): the checkpoint of epoch 1 must survive, unchanged and finite.
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(256, 7);
        using InMemoryDataset validation = SyntheticData.Bars(64, 8);
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"), MonitoredMetric.ValidationLoss);
        var options = Quick with { Epochs = 3, Seed = 1 };

        var act = () => new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoint, new PoisonAtEpoch(2)]);

        NonFiniteLossException error = act.Should().Throw<NonFiniteLossException>().Which;
        (error.Epoch, error.Batch).Should().Be((2, 1));
        TrainingCheckpoint.EpochOf(checkpoint.LastDirectory).Should().Be(1);
        using Module<Tensor, Tensor> saved = new CnnFactory().Create(train.ImageShape, 10);
        ModelWeights.Load(saved, TrainingCheckpoint.WeightsPath(checkpoint.LastDirectory));
        saved.parameters().Should().OnlyContain(p => p.isfinite().all().item<bool>());
    }

    /// <summary>Fills every weight with NaN when epoch <paramref name="epoch"/> begins.</summary>
    sealed class PoisonAtEpoch(int epoch) : ITrainingCallback
    {
        public void OnEpochBegin(TrainingContext context)
        {
            if (context.Epoch != epoch) return;
            using var noGrad = no_grad();
            foreach (var p in context.Model.parameters()) p.fill_(float.NaN);
        }
    }

    [Fact]
    public void Augmentation_sees_training_batches_only_and_the_monitor_set_is_recorded_not_used()
    {
        using InMemoryDataset train = SyntheticData.Bars(200, 9);
        using InMemoryDataset validation = SyntheticData.Bars(100, 10);
        using InMemoryDataset monitor = SyntheticData.Bars(50, 11);
        var counter = new CountingTransform();

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 2, Augmentation = counter },
            monitor: monitor);

        counter.Images.Should().Be(2 * 200, "validation and monitor batches are never augmented");
        trained.History.Epochs.Should().OnlyContain(e => e.MonitorAccuracy != null && e.ValidationAccuracy != null);
        using Predictions predictions = new Trainer().Predict(trained.Model, monitor);
        predictions.Accuracy.Should().Be(trained.History.Epochs[^1].MonitorAccuracy!.Value);
        predictions.Indices.data<long>().ToArray().Should().Equal(Enumerable.Range(0, 50).Select(i => (long)i));
        predictions.Probabilities.sum(1).sub(1).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void A_callbacks_own_figure_reaches_the_history_csv_json_tensorboard_tag_report_and_plot()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(128, 12);
        using InMemoryDataset validation = SyntheticData.Bars(64, 13);

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, validation, Quick with { Epochs = 2 },
            [new HalfAccuracy(), new HistoryLogger(dir.Path)]);

        trained.History.Epochs.Select(e => e["validation_half"]).Should().Equal(trained.History.Epochs.Select(e => e.ValidationAccuracy / 2));
        File.ReadAllLines(dir.Combine("history.csv"))[0].Should().EndWith(",validation_half");
        TrainingHistory.FromJson(File.ReadAllText(dir.Combine("history.json"))).Epochs[1]["validation_half"].Should().Be(trained.History.Epochs[1]["validation_half"]);
        TensorBoardLogger.Tag("validation_half").Should().Be("half/validation");
        FashionMnist.Baselines.Plots.LearningCurvePlot.Save(trained.History, "half", dir.Combine("half.png"));
        File.Exists(dir.Combine("half.png")).Should().BeTrue();
    }

    [Fact]
    public void Histories_written_before_figures_were_named_still_load()
    {
        const string old = """[{ "epoch": 1, "trainLoss": 0.5, "trainAccuracy": 0.8, "validationLoss": null, "validationAccuracy": null, "monitorLoss": null, "monitorAccuracy": 0.7, "learningRate": 0.1, "seconds": 2, "imagesPerSecond": 30 }]""";

        EpochRecord e = TrainingHistory.FromJson(old).Epochs.Single();

        e.Metrics.Keys.Should().Equal("train_loss", "train_accuracy", "monitor_accuracy", "learning_rate", "seconds", "images_per_second");
        e.MonitorAccuracy.Should().Be(0.7);
        e.ValidationAccuracy.Should().BeNull();
        var own = new TrainingHistory([new EpochRecord(1, new Dictionary<string, double> { ["topK"] = 0.5, ["F1"] = 0.25 })]);
        TrainingHistory.FromJson(own.ToJson()).Epochs[0].Metrics.Keys.Should().Equal(["topK", "F1"], "only the old files' own names are renamed");
    }

    /// <summary>Records half the validation accuracy as a figure of its own.</summary>
    sealed class HalfAccuracy : ITrainingCallback
    {
        public void OnEpochMeasured(TrainingContext context, IDictionary<string, double> metrics) =>
            metrics["validation_half"] = metrics[EpochMetrics.ValidationAccuracy] / 2;
    }

    [Fact]
    public void History_and_TensorBoard_loggers_write_their_files()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(128, 12);

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, Quick with { Epochs = 2 },
            [new HistoryLogger(dir.Path), new TensorBoardLogger(dir.Combine("tb"))]);

        string[] csv = File.ReadAllLines(dir.Combine("history.csv"));
        csv.Should().HaveCount(3);
        csv[0].Should().Be("epoch,train_loss,train_accuracy,learning_rate,seconds,images_per_second", "a column per recorded figure (no validation set here)");
        TrainingHistory.FromJson(File.ReadAllText(dir.Combine("history.json"))).Epochs.Should().BeEquivalentTo(trained.History.Epochs);
        Directory.GetFiles(dir.Combine("tb"), "*", SearchOption.AllDirectories).Should().Contain(f => Path.GetFileName(f).StartsWith("events.out.tfevents"));
    }

    sealed class CountingTransform : IBatchTransform
    {
        public long Images { get; private set; }

        public Tensor Apply(Tensor images, TorchSharp.torch.Generator generator)
        {
            Images += images.shape[0];
            return images.clone();
        }
    }

    /// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
