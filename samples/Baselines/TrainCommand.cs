using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Cli;

/// <summary><c>train &lt;model&gt;</c>: the model's published recipe, overridable, into a run folder with its report.</summary>
internal static class TrainCommand
{
    static readonly string[] ValueOptions =
    [
        "epochs", "batch-size", "optimizer", "lr", "momentum", "weight-decay", "schedule", "milestones", "gamma", "step-size",
        "max-lr", "augmentation", "random-erasing", "label-smoothing", "clip", "validation-size", "seed", "device", "threads",
        "data-dir", "train-subset", "output", "resume",
    ];

    static readonly string[] Flags = ["monitor-test", "nesterov", "verbose", "flip-tta", "channels-last"];

    static readonly Dictionary<string, OptimizerKind> Optimizers = new()
    {
        ["sgd"] = OptimizerKind.Sgd, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW,
        ["adamax"] = OptimizerKind.Adamax, ["adadelta"] = OptimizerKind.Adadelta,
    };

    static readonly Dictionary<string, ScheduleKind> Schedules = new()
    {
        ["constant"] = ScheduleKind.Constant, ["step"] = ScheduleKind.Step, ["multistep"] = ScheduleKind.MultiStep,
        ["cosine"] = ScheduleKind.Cosine, ["onecycle"] = ScheduleKind.OneCycle, ["plateau"] = ScheduleKind.Plateau,
    };

    enum AugmentationChoice { None, Flip, CropFlip, RandomErasing }

    static readonly Dictionary<string, AugmentationChoice> Augmentations = new()
    {
        ["none"] = AugmentationChoice.None, ["flip"] = AugmentationChoice.Flip, ["crop-flip"] = AugmentationChoice.CropFlip,
        ["random-erasing"] = AugmentationChoice.RandomErasing,
    };

    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ValueOptions, Flags);
        if (a.Positional.Count != 1) throw new UsageException("train needs one model name, such as: train cnn (see the models command).");
        IModelFactory factory = ModelName.Resolve(a.Positional[0]);
        BaselineRecipe recipe = BaselineRecipes.For(factory.Name);
        int? subset = a.Int("train-subset", 100, 60_000);
        // The default keeps the full set's share (5,000 of 60,000) for a subset, so --train-subset alone works.
        int validationSize = a.Int("validation-size", 0, 59_999) ?? (subset is int n ? n / 12 : 5_000);
        TrainerOptions options = Override(recipe.Options, a, recipe.Normalization, validationSize > 0);
        // A resumed run continues in the run folder of its checkpoint (<run>/checkpoints/last), so that its best
        // checkpoint and history stay together.
        string? resumedRun = a.String("resume") is string resume ? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(resume).TrimEnd('/'))) : null;
        var run = new RunFolder(a.String("output") ?? resumedRun ?? Path.Combine("runs", $"{factory.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        string command = "dotnet run -c Release --project samples/Baselines -- train " + string.Join(' ', args);

        using ILoggerFactory logging = LoggerFactory.Create(b =>
        {
            if (a.Has("verbose")) b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        });
        var clock = Stopwatch.StartNew();
        var dataOptions = a.DataOptions(recipe.Normalization) with { Logger = logging.CreateLogger("FashionMnist") };
        using InMemoryDataset fullTrain = FashionMnistDataset.Load(FashionMnistPart.Train, dataOptions, cancellationToken);
        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, dataOptions, cancellationToken);
        (InMemoryDataset train, InMemoryDataset? validation) = Split(fullTrain, subset, validationSize, options.Seed);
        using (train)
        using (validation)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(factory.Name)}[/]: {Markup.Escape(factory.Description)}");
            AnsiConsole.MarkupLine($"Recipe: {Markup.Escape(recipe.Source)}");
            AnsiConsole.MarkupLine($"Training on {train.Count:N0} images, validating on {validation?.Count ?? 0:N0}, testing once on {test.Count:N0}; " +
                                   $"{options.Epochs} epochs of {options.BatchSize}, {Markup.Escape(options.Optimizer.ToString())}, schedule {Markup.Escape(options.Schedule.ToString())}, " +
                                   $"augmentation {Markup.Escape(options.Augmentation?.ToString() ?? "none")}, device {options.Device}.");
            AnsiConsole.MarkupLine($"Run folder: {Markup.Escape(run.Path)}");
            Directory.CreateDirectory(run.Path);
            if (options.Augmentation is not null) SaveAugmentedSamples(train, options, run);

            var checkpoint = new ModelCheckpoint(run.Checkpoints, MonitoredMetric.ValidationAccuracy);
            var trainer = new Trainer(logging.CreateLogger<Trainer>());
            IDataset? monitor = a.Has("monitor-test") ? test : null;
            ITrainingCallback[] callbacks = [checkpoint, new HistoryLogger(run.Path)];
            TrainedModel trained;
            try
            {
                trained = ProgressDisplay.Run(options.Epochs, progress =>
                    trainer.Fit(factory, train, validation, options, callbacks, progress, monitor, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                // Cancelled in the first epoch of a new run, there is no checkpoint of it yet to resume from (a
                // checkpoint folder may still be there from an earlier run into the same output folder).
                AnsiConsole.MarkupLine(checkpoint.LastSavedEpoch is not null || resumedRun is not null
                    ? $"[yellow]Cancelled.[/] The last checkpoint is kept in {Markup.Escape(checkpoint.LastDirectory)}; resume with --resume {Markup.Escape(checkpoint.LastDirectory)}."
                    : "[yellow]Cancelled[/] before the first epoch ended: there is no checkpoint to resume from.");
                throw;
            }

            using (trained)
            {
                // The test set, once: the final model, then the best model on validation. With --flip-tta both are tested
                // through FlipAveragingClassifier, which holds the same model object, so loading the best weights reaches it.
                using Module<Tensor, Tensor> tested = a.Has("flip-tta") ? new FlipAveragingClassifier(trained.Model) : trained.Model;
                ModelWeights.Save(trained.Model, run.LastWeights);
                using (Predictions final = trainer.Predict(tested, test, options.EvaluationBatchSize, options.Device, cancellationToken))
                {
                    PredictionsCsv.Write(final, run.FinalPredictions);
                }
                int bestEpoch = 0;
                if (validation is not null && Directory.Exists(checkpoint.BestDirectory))
                {
                    bestEpoch = TrainingCheckpoint.EpochOf(checkpoint.BestDirectory);
                    ModelWeights.Load(trained.Model, checkpoint.BestWeights);
                }
                ModelWeights.Save(trained.Model, run.BestWeights);
                using (Predictions best = trainer.Predict(tested, test, options.EvaluationBatchSize, options.Device, cancellationToken))
                {
                    PredictionsCsv.Write(best, run.BestPredictions);
                }

                run.WriteRecord(new RunRecord($"{factory.Name}", command, factory.Name, recipe.Normalization.Mean.ToArray(), recipe.Normalization.Std.ToArray(),
                    Describe(options, recipe, factory, train.Count, validation?.Count ?? 0, a), bestEpoch, clock.Elapsed.TotalSeconds, RunEnvironment.Current()));
                RunSummary summary = run.Rebuild(test);
                Print(summary, run);
            }
        }
        return ExitCodes.Success;
    }

    static (InMemoryDataset Train, InMemoryDataset? Validation) Split(InMemoryDataset full, int? subset, int validationSize, long seed)
    {
        InMemoryDataset source = full;
        if (subset is int n && n < full.Count)
        {
            // A stratified subset: the validation part of a split of n images.
            (InMemoryDataset rest, InMemoryDataset chosen) = full.SplitStratified(n, seed);
            rest.Dispose();
            source = chosen;
        }
        if (validationSize == 0)
        {
            if (!ReferenceEquals(source, full)) return (source, null);
            using Tensor all = arange(full.Count);
            return (full.Subset(all), null);
        }
        if (validationSize >= source.Count) throw new UsageException($"--validation-size {validationSize} leaves no training images out of {source.Count}.");
        (InMemoryDataset train, InMemoryDataset validation) = source.SplitStratified(validationSize, seed);
        if (!ReferenceEquals(source, full)) source.Dispose();
        return (train, validation);
    }

    static TrainerOptions Override(TrainerOptions recipe, Arguments a, ImageNormalization normalization, bool hasValidation)
    {
        OptimizerOptions optimizer = recipe.Optimizer;
        if (a.Choice("optimizer", Optimizers) is OptimizerKind kind)
        {
            optimizer = kind switch
            {
                OptimizerKind.Sgd => OptimizerOptions.Sgd(0.1, 0.9, 5e-4),
                OptimizerKind.Adam => OptimizerOptions.Adam(),
                OptimizerKind.AdamW => OptimizerOptions.AdamW(),
                OptimizerKind.Adamax => OptimizerOptions.Adamax(),
                _ => OptimizerOptions.KerasAdadelta(),
            };
        }
        if (a.Has("momentum") && optimizer.Kind != OptimizerKind.Sgd)
        {
            throw new UsageException($"--momentum applies to SGD, but the optimizer is {optimizer.Kind} (set --optimizer sgd).");
        }
        optimizer = optimizer with
        {
            LearningRate = a.Double("lr", 1e-8, 100) ?? optimizer.LearningRate,
            Momentum = a.Double("momentum", 0, 0.999) ?? optimizer.Momentum,
            WeightDecay = a.Double("weight-decay", 0, 1) ?? optimizer.WeightDecay,
            Nesterov = a.Has("nesterov") || optimizer.Nesterov,
        };

        ScheduleOptions schedule = recipe.Schedule;
        int epochs = a.Int("epochs", 1, 10_000) ?? recipe.Epochs;
        if (a.Choice("schedule", Schedules) is ScheduleKind scheduleKind)
        {
            schedule = scheduleKind switch
            {
                ScheduleKind.Step => ScheduleOptions.Step(a.Int("step-size", 1, 10_000) ?? Math.Max(1, epochs / 3), a.Double("gamma", 1e-6, 1) ?? 0.1),
                // The default milestones at half and three quarters of the run, as far as a short run has room for them.
                ScheduleKind.MultiStep => ScheduleOptions.MultiStep(a.IntList("milestones") ?? new[] { epochs / 2, epochs * 3 / 4 }.Where(m => m >= 1 && m < epochs).Distinct().ToArray(),
                                                                    a.Double("gamma", 1e-6, 1) ?? 0.1),
                ScheduleKind.Cosine => ScheduleOptions.Cosine(),
                ScheduleKind.OneCycle => ScheduleOptions.OneCycle(a.Double("max-lr", 1e-8, 100)),
                ScheduleKind.Plateau => ScheduleOptions.Plateau(),
                _ => ScheduleOptions.Constant,
            };
        }
        else if (schedule.Kind == ScheduleKind.MultiStep && epochs != recipe.Epochs)
        {
            // Keep the recipe's milestones at the same fractions of a shorter or longer run (150/300, 225/300).
            schedule = ScheduleOptions.MultiStep(schedule.Milestones.Select(m => Math.Max(1, m * epochs / recipe.Epochs)).Distinct().Where(m => m < epochs).ToArray(), schedule.Gamma);
        }
        schedule = ApplyScheduleDetails(schedule, a);
        if (!hasValidation && schedule.Kind == ScheduleKind.Plateau) schedule = schedule with { Monitor = MonitoredMetric.TrainLoss };

        IBatchTransform? augmentation = recipe.Augmentation;
        AugmentationChoice? choice = a.Choice("augmentation", Augmentations);
        double? erasing = a.Double("random-erasing", 0, 1);
        if (erasing is not null && choice is null) choice = AugmentationChoice.RandomErasing;
        if (erasing is not null && choice != AugmentationChoice.RandomErasing)
        {
            throw new UsageException($"--random-erasing {a.String("random-erasing")} sets the erasing probability of --augmentation random-erasing, but the augmentation is {a.String("augmentation")} (drop one of the two).");
        }
        if (choice is AugmentationChoice c)
        {
            float black = (0f - normalization.Mean[0]) / normalization.Std[0];
            augmentation = c switch
            {
                AugmentationChoice.None => null,
                AugmentationChoice.Flip => new AugmentationPipeline(new RandomHorizontalFlip()),
                AugmentationChoice.CropFlip => new AugmentationPipeline(new RandomCrop(4, black), new RandomHorizontalFlip()),
                _ => new AugmentationPipeline(new RandomCrop(4, black), new RandomHorizontalFlip(), new RandomErasing(erasing ?? 0.5)),
            };
        }

        Device device = ParseDevice(a.String("device"));
        return recipe with
        {
            Epochs = epochs,
            BatchSize = a.Int("batch-size", 1, 100_000) ?? recipe.BatchSize,
            Optimizer = optimizer,
            Schedule = schedule,
            Augmentation = augmentation,
            LabelSmoothing = a.Double("label-smoothing", 0, 0.99) ?? recipe.LabelSmoothing,
            GradientClipNorm = a.Double("clip", 1e-6, 1e6) ?? recipe.GradientClipNorm,
            Seed = a.Int("seed", 0, int.MaxValue) ?? recipe.Seed,
            Device = device,
            Threads = a.Int("threads", 1, 1024) ?? recipe.Threads,
            ResumeFrom = a.String("resume"),
            ChannelsLast = a.Has("channels-last") || recipe.ChannelsLast,
        };
    }

    /// <summary>--milestones, --gamma, --step-size and --max-lr refine the schedule in force; given for another schedule they are an error.</summary>
    static ScheduleOptions ApplyScheduleDetails(ScheduleOptions schedule, Arguments a)
    {
        void Require(string option, params ScheduleKind[] kinds)
        {
            if (a.Has(option) && !kinds.Contains(schedule.Kind))
            {
                throw new UsageException($"--{option} applies to the {string.Join(" or ", kinds).ToLowerInvariant()} schedule, but the schedule is {schedule.Kind.ToString().ToLowerInvariant()} (set --schedule).");
            }
        }
        Require("milestones", ScheduleKind.MultiStep);
        Require("step-size", ScheduleKind.Step);
        Require("gamma", ScheduleKind.Step, ScheduleKind.MultiStep);
        Require("max-lr", ScheduleKind.OneCycle);
        return schedule with
        {
            Milestones = a.IntList("milestones") ?? schedule.Milestones,
            StepSize = a.Int("step-size", 1, 10_000) ?? schedule.StepSize,
            Gamma = a.Double("gamma", 1e-6, 1) ?? schedule.Gamma,
            MaxLearningRate = a.Double("max-lr", 1e-8, 100) ?? schedule.MaxLearningRate,
        };
    }

    static Device ParseDevice(string? text)
    {
        if (text is null || text == "cpu") return CPU;
        if (!text.StartsWith("cuda", StringComparison.Ordinal)) throw new UsageException($"--device {text}: expected cpu, cuda or cuda:N.");
        if (!cuda.is_available())
        {
            throw new UsageException($"--device {text}: CUDA is not available to this program (it references TorchSharp-cpu; use TorchSharp-cuda-linux or -windows for a GPU).");
        }
        return device(text);
    }

    static void SaveAugmentedSamples(InMemoryDataset train, TrainerOptions options, RunFolder run)
    {
        using var scope = NewDisposeScope();
        using Tensor indices = arange(16);
        using Batch batch = train.GetBatch(indices, CPU);
        using var generator = new Generator((ulong)options.Seed);
        Tensor augmented = options.Augmentation!.Apply(batch.Images, generator);
        AugmentedSamplesGrid.Save(train.Images.index_select(0, indices), augmented, train.Normalization, run.File("augmented.png"),
            $"Augmentation: {options.Augmentation}");
    }

    static Dictionary<string, string> Describe(TrainerOptions o, BaselineRecipe recipe, IModelFactory factory, int train, int validation, Arguments a) => new()
    {
        ["model"] = factory.Name,
        ["recipe"] = recipe.Source,
        ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
        ["batch size"] = o.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["optimizer"] = o.Optimizer.ToString(),
        ["schedule"] = o.Schedule.ToString(),
        ["augmentation"] = o.Augmentation?.ToString() ?? "none",
        ["label smoothing"] = o.LabelSmoothing.ToString(CultureInfo.InvariantCulture),
        ["gradient clipping"] = o.GradientClipNorm?.ToString(CultureInfo.InvariantCulture) ?? "none",
        ["normalization"] = recipe.Normalization.ToString(),
        ["training images"] = train.ToString(CultureInfo.InvariantCulture),
        ["validation images"] = validation.ToString(CultureInfo.InvariantCulture),
        ["test-time augmentation"] = a.Has("flip-tta") ? "horizontal flip (test predictions average each image's probabilities with its mirror image's)" : "none",
        ["test monitored each epoch"] = a.Has("monitor-test") ? "yes (recorded only, never used for a decision)" : "no",
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["device"] = o.Device.ToString(),
        ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
        ["weights layout"] = o.ChannelsLast ? "channels-last while training" : "standard (NCHW)",
    };

    static void Print(RunSummary summary, RunFolder run)
    {
        foreach (ScoreCard card in summary.Test)
        {
            AnsiConsole.MarkupLine($"Test accuracy, {Markup.Escape(card.Name)}: [bold]{card.Accuracy:F4}[/] (log loss {card.Loss:F4})");
        }
        if (summary.Test.Count > 0) AnsiConsole.WriteLine(summary.Test[0].Report);
        EpochRecord? monitored = summary.History.Where(e => e.MonitorAccuracy != null).MaxBy(e => e.MonitorAccuracy);
        if (monitored != null)
        {
            AnsiConsole.MarkupLine($"Best per-epoch test accuracy (monitored only, for comparison with the seed): {monitored.MonitorAccuracy:F4} in epoch {monitored.Epoch}");
        }
        AnsiConsole.MarkupLine($"Report: {Markup.Escape(run.File("report.md"))}");
    }
}
