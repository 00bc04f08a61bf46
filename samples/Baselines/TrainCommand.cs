using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>train &lt;model&gt;</c>: the model's published recipe with the command line's overrides, run by the library's
/// <see cref="RecipeRunner"/> into a run folder. This file only turns arguments into a recipe and prints.
/// </summary>
internal static class TrainCommand
{
    internal static readonly string[] ValueOptions =
    [
        "epochs", "batch-size", "optimizer", "lr", "momentum", "weight-decay", "schedule", "milestones", "gamma", "step-size",
        "max-lr", "warmup", "ema", "ema-every", "norm-bias-lr", "norm-bias-decay", "augmentation", "random-erasing", "label-smoothing", "clip", "validation-size", "seed", "device", "threads",
        "data-dir", "train-subset", "output", "resume", "precision", "test-precision",
    ];

    internal static readonly string[] Flags = ["monitor-test", "nesterov", "verbose", "flip-tta", "flip-shift-tta", "no-tta", "no-ema", "channels-last", "overwrite"];

    static readonly Dictionary<string, OptimizerKind> Optimizers = new()
    {
        ["sgd"] = OptimizerKind.Sgd, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW,
        ["adamax"] = OptimizerKind.Adamax, ["adadelta"] = OptimizerKind.Adadelta,
    };

    static readonly Dictionary<string, ScheduleKind> Schedules = new()
    {
        ["constant"] = ScheduleKind.Constant, ["step"] = ScheduleKind.Step, ["multistep"] = ScheduleKind.MultiStep,
        ["cosine"] = ScheduleKind.Cosine, ["onecycle"] = ScheduleKind.OneCycle, ["plateau"] = ScheduleKind.Plateau,
        ["decay-when-stalled"] = ScheduleKind.DecayWhenStalled, ["warmup-linear"] = ScheduleKind.WarmupLinear,
    };

    static readonly Dictionary<string, AugmentationPreset> Augmentations = new()
    {
        ["none"] = AugmentationPreset.None, ["flip"] = AugmentationPreset.Flip, ["crop-flip"] = AugmentationPreset.CropFlip,
        ["random-erasing"] = AugmentationPreset.RandomErasing,
    };

    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ValueOptions, Flags);
        (IModelFactory factory, BaselineRecipe recipe) = Recipe(a);
        int? validationSize = a.Int("validation-size", 0, 59_999);
        // A resumed run continues in the run folder of its checkpoint (<run>/checkpoints/last), so that its best
        // checkpoint and history stay together.
        string? resumedRun = a.String("resume") is string resume ? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(resume).TrimEnd('/'))) : null;
        var folder = new RunFolder(a.String("output") ?? resumedRun ?? Path.Combine("runs", $"{factory.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        var settings = new RunSettings
        {
            TrainSubset = a.Int("train-subset", 100, 60_000),
            ValidationSize = validationSize,
            MonitorTest = a.Has("monitor-test"),
            FlipTestTimeAugmentation = a.Has("flip-tta"),
            FlipShiftTestTimeAugmentation = a.Has("flip-shift-tta"),
            TestPrecision = PrecisionOption.Read(a, "test-precision") ?? Precision.Float32,
            Overwrite = a.Has("overwrite"),
            Data = a.DataOptions(recipe.Normalization),
            Command = "dotnet run -c Release --project samples/Baselines -- train " + string.Join(' ', args),
        };

        // Refused before the data is loaded (a writer by name, then a used folder); the runner checks again under the lock.
        using (folder.Lock())
        {
            if (!RecipeRunner.ResumesInto(folder, recipe.Options) && !settings.Overwrite && folder.HoldsRun) throw InUse(folder.Path);
        }

        PrecisionOption.WarnIfSlow(recipe.Options.Precision);
        PrecisionOption.WarnIfSlow(settings.TestPrecision);
        using ILoggerFactory logging = LoggerFactory.Create(b =>
        {
            if (a.Has("verbose")) b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        });
        var runner = new RecipeRunner(logging.CreateLogger("FashionMnist.Baselines"), new RunFigures());
        using PreparedRun prepared = runner.Prepare(recipe, settings, cancellationToken);
        TrainerOptions options = recipe.Options;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(factory.Name)}[/]: {Markup.Escape(factory.Description)}");
        AnsiConsole.MarkupLine($"Recipe: {Markup.Escape(recipe.Source)}");
        AnsiConsole.MarkupLine($"Training on {prepared.Train.Count:N0} images, validating on {prepared.Validation?.Count ?? 0:N0}, testing once on {prepared.Test.Count:N0}; " +
                               $"{Plural(options.Epochs, "epoch")} of {options.BatchSize}, {Markup.Escape(options.Optimizer.ToString())}, schedule {Markup.Escape(options.Schedule.ToString())}, " +
                               $"augmentation {Markup.Escape(options.Augmentation?.ToString() ?? "none")}, device {options.Device}" +
                               (options.LabelSmoothing > 0 ? FormattableString.Invariant($", label smoothing {options.LabelSmoothing}") : "") +
                               (options.WeightAveraging is ExponentialMovingAverage ema ? $", weights averaged by {ema} (the average is validated and kept)" : "") +
                               (options.Precision == Precision.BFloat16 ? ", bfloat16 compute with float32 master weights." : "."));
        AnsiConsole.MarkupLine($"Run folder: {Markup.Escape(folder.Path)}");

        RunSummary summary;
        try
        {
            summary = ProgressDisplay.Run(options.Epochs, progress => runner.Run(prepared, folder, progress, cancellationToken));
        }
        catch (RunFolderInUseException e)
        {
            throw InUse(e.Folder);
        }
        catch (RunCancelledException e)
        {
            AnsiConsole.MarkupLine(e.ResumeFrom is string last
                ? $"[yellow]Cancelled.[/] The last checkpoint is kept in {Markup.Escape(last)}; resume with --resume {Markup.Escape(last)}."
                : "[yellow]Cancelled[/] before the first epoch ended: there is no checkpoint to resume from.");
            throw;
        }
        Print(summary, folder);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Checks a train command line (<c>&lt;model&gt; [options]</c>) as <see cref="Run"/> would before it loads anything:
    /// the sweep planner runs it on every trial.
    /// </summary>
    /// <exception cref="UsageException">An unknown model or option, or a value out of range.</exception>
    internal static void Check(IReadOnlyList<string> args) => Recipe(new Arguments(args, ValueOptions, Flags));

    static (IModelFactory Factory, BaselineRecipe Recipe) Recipe(Arguments a)
    {
        if (a.Positional.Count != 1) throw new UsageException("train needs one model name, such as: train cnn (see the models command).");
        // "fast" names the fast recipe, whose model (resnet9-32) has that recipe too.
        IModelFactory factory = ModelName.Resolve(a.Positional[0]);
        int? validationSize = a.Int("validation-size", 0, 59_999);
        a.Int("train-subset", 100, 60_000);
        BaselineRecipe recipe = Override(BaselineRecipes.For(factory.Name), a, hasValidation: validationSize != 0);
        if (a.Has("no-tta"))
        {
            if (a.Has("flip-tta") || a.Has("flip-shift-tta")) throw new UsageException("--no-tta asks for plain test predictions: drop --flip-tta or --flip-shift-tta.");
            recipe = recipe with { FlipShiftTestTimeAugmentation = false };
        }
        return (factory, recipe);
    }

    /// <summary>The recipe with every option the command line gives; each option replaces the recipe's value.</summary>
    static BaselineRecipe Override(BaselineRecipe recipe, Arguments a, bool hasValidation)
    {
        if (a.Int("epochs", 1, 10_000) is int epochs) recipe = recipe.WithEpochs(epochs);
        TrainerOptions o = recipe.Options;

        OptimizerSettings optimizer = a.Choice("optimizer", Optimizers) is OptimizerKind kind ? OptimizerSettings.Default(kind) : o.Optimizer;
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
        // --norm-bias-lr X and --norm-bias-decay X put BatchNorm's parameters and the biases in their own group.
        double? normBiasRate = a.Double("norm-bias-lr", 1e-6, 1e6), normBiasDecay = a.Double("norm-bias-decay", 0, 1);
        if (normBiasRate is not null || normBiasDecay is not null)
        {
            NormAndBiasGroup group = optimizer.NormAndBias ?? new NormAndBiasGroup(1, optimizer.WeightDecay);
            optimizer = optimizer with { NormAndBias = new NormAndBiasGroup(normBiasRate ?? group.LearningRateScale, normBiasDecay ?? group.WeightDecay) };
        }

        ScheduleOptions schedule = a.Choice("schedule", Schedules) is ScheduleKind scheduleKind ? ScheduleOptions.Default(scheduleKind, o.Epochs) : o.Schedule;
        schedule = ApplyScheduleDetails(schedule, a);

        AugmentationPreset? preset = a.Choice("augmentation", Augmentations);
        double? erasing = a.Double("random-erasing", 0, 1);
        if (erasing is not null && preset is null) preset = AugmentationPreset.RandomErasing;
        if (erasing is not null && preset != AugmentationPreset.RandomErasing)
        {
            throw new UsageException($"--random-erasing {a.String("random-erasing")} sets the erasing probability of --augmentation random-erasing, but the augmentation is {a.String("augmentation")} (drop one of the two).");
        }
        if (preset is AugmentationPreset chosen) recipe = recipe.WithAugmentation(chosen, erasing ?? 0.5);

        return recipe with
        {
            Options = recipe.Options with
            {
                BatchSize = a.Int("batch-size", 1, 100_000) ?? o.BatchSize,
                Optimizer = optimizer,
                Schedule = schedule,
                LabelSmoothing = a.Double("label-smoothing", 0, 0.99) ?? o.LabelSmoothing,
                GradientClipNorm = a.Double("clip", 1e-6, 1e6) ?? o.GradientClipNorm,
                Seed = a.Int("seed", 0, int.MaxValue) ?? o.Seed,
                Device = ParseDevice(a.String("device")),
                Threads = a.Int("threads", 1, 1024) ?? o.Threads,
                ResumeFrom = a.String("resume"),
                ChannelsLast = a.Has("channels-last") || o.ChannelsLast,
                Precision = PrecisionOption.Read(a, "precision") ?? o.Precision,
                WeightAveraging = WeightAveraging(a, o.WeightAveraging),
            },
        };
    }

    /// <summary>--milestones, --gamma, --step-size, --max-lr and --warmup refine the schedule in force; given for another schedule they are an error.</summary>
    static ScheduleOptions ApplyScheduleDetails(ScheduleOptions schedule, Arguments a)
    {
        void Require(string option, params ScheduleKind[] kinds)
        {
            if (a.Has(option) && !kinds.Contains(schedule.Kind))
            {
                throw new UsageException($"--{option} applies to the {string.Join(" or ", kinds.Select(Name))} schedule, but the schedule is {Name(schedule.Kind)} (set --schedule).");
            }
        }
        static string Name(ScheduleKind kind) => Schedules.First(pair => pair.Value == kind).Key;
        Require("milestones", ScheduleKind.MultiStep);
        Require("step-size", ScheduleKind.Step);
        Require("gamma", ScheduleKind.Step, ScheduleKind.MultiStep);
        Require("max-lr", ScheduleKind.OneCycle);
        Require("warmup", ScheduleKind.OneCycle, ScheduleKind.WarmupLinear);
        return schedule with
        {
            Milestones = a.IntList("milestones") ?? schedule.Milestones,
            StepSize = a.Int("step-size", 1, 10_000) ?? schedule.StepSize,
            Gamma = a.Double("gamma", 1e-6, 1) ?? schedule.Gamma,
            MaxLearningRate = a.Double("max-lr", 1e-8, 100) ?? schedule.MaxLearningRate,
            WarmupFraction = a.Double("warmup", 1e-6, 0.999) ?? schedule.WarmupFraction,
        };
    }

    /// <summary>--ema DECAY turns weight averaging on (or changes the recipe's decay); --ema-every N needs it; --no-ema turns it off.</summary>
    static ExponentialMovingAverage? WeightAveraging(Arguments a, ExponentialMovingAverage? recipe)
    {
        double? decay = a.Double("ema", 1e-6, 0.999999);
        int? every = a.Int("ema-every", 1, 1_000_000);
        if (a.Has("no-ema"))
        {
            if (decay is not null || every is not null) throw new UsageException("--no-ema turns weight averaging off: drop --ema and --ema-every.");
            return null;
        }
        ExponentialMovingAverage? ema = decay is double d ? (recipe ?? new()) with { Decay = d } : recipe;
        if (every is int n)
        {
            if (ema is null) throw new UsageException($"--ema-every {n} sets how often the weight average is updated, but there is none: add --ema DECAY (for example --ema 0.99).");
            ema = ema with { EverySteps = n };
        }
        return ema;
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

    static UsageException InUse(string folder) => new(
        $"{folder} already holds a run. Resume it with --resume {Path.Combine(folder, "checkpoints", "last")}, replace it with --overwrite, or choose another --output.");

    static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count:N0} {noun}s";

    static void Print(RunSummary summary, RunFolder folder)
    {
        foreach (ScoreCard card in summary.Test)
        {
            AnsiConsole.MarkupLine($"Test accuracy, {Markup.Escape(card.Name)}: [bold]{card.Accuracy:F4}[/] (log loss {card.LogLoss:F4})");
        }
        if (summary.Test.Count > 0) AnsiConsole.WriteLine(summary.Test[0].Report);
        EpochRecord? monitored = summary.History.Where(e => e.MonitorAccuracy != null).MaxBy(e => e.MonitorAccuracy);
        if (monitored != null)
        {
            AnsiConsole.MarkupLine($"Best per-epoch test accuracy (monitored only, for comparison with the seed): {monitored.MonitorAccuracy:F4} in epoch {monitored.Epoch}");
        }
        AnsiConsole.MarkupLine($"Report: {Markup.Escape(folder.File("report.md"))}");
    }
}
