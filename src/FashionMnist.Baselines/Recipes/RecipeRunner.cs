using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Recipes;

/// <summary>
/// Runs a recipe end to end into a <see cref="RunFolder"/>, as the <c>fmb train</c> command does: loads and splits the
/// data, trains with resumable checkpoints and the history written after every epoch, tests the final model and the
/// best one on validation once, and writes the weights, the test predictions, <c>run.json</c>, the report,
/// <c>metrics.json</c> and (with <see cref="IRunFigures"/>, from the Plots package) the pictures.
/// </summary>
/// <param name="logger">Receives the data loading and training log; nothing when null.</param>
/// <param name="figures">Draws the run's pictures; none when null.</param>
public sealed class RecipeRunner(ILogger? logger = null, IRunFigures? figures = null)
{
    readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Loads the data the recipe trains, validates and tests on; the caller disposes the result. Without a validation
    /// set (<see cref="RunSettings.ValidationSize"/> 0), a plateau or decay-when-stalled schedule watches the training
    /// loss (the prepared run's recipe says so).
    /// </summary>
    /// <exception cref="InvalidOptionException">A setting or trainer option is invalid (all of them are listed), or the subset or validation size does not fit the data.</exception>
    public PreparedRun Prepare(BaselineRecipe recipe, RunSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(settings);
        IModelFactory factory = ModelRegistry.Resolve(recipe.Model);
        var checks = new OptionChecks();
        checks.Check(settings.TrainSubset is null or (>= 100 and <= 60_000), "RunSettings.TrainSubset", settings.TrainSubset, "expected null or 100..60000");
        checks.Check(settings.ValidationSize is null or >= 0, "RunSettings.ValidationSize", settings.ValidationSize, "expected null or 0 or more");
        checks.Check(!(settings.FlipTestTimeAugmentation && settings.FlipShiftTestTimeAugmentation), "RunSettings.FlipShiftTestTimeAugmentation", true,
            "expected one test-time augmentation: FlipTestTimeAugmentation is set too");
        recipe.Options.AddErrors(checks);
        checks.ThrowIfAny();
        // A recipe whose figure is flip+shift-averaged is tested that way, unless the settings ask for flip averaging.
        if (recipe.FlipShiftTestTimeAugmentation && !settings.FlipTestTimeAugmentation)
        {
            settings = settings with { FlipShiftTestTimeAugmentation = true };
        }
        // Without a validation set, a schedule that watches a validation figure watches the training loss instead.
        if (settings.ValidationSize == 0 && recipe.Options.Schedule.WatchesMonitor && recipe.Options.Schedule.Monitor != MonitoredMetric.TrainLoss)
        {
            recipe = recipe with { Options = recipe.Options with { Schedule = recipe.Options.Schedule with { Monitor = MonitoredMetric.TrainLoss } } };
        }

        FashionMnistOptions data = recipe.DataOptions(settings.Data) with { Logger = settings.Data.Logger ?? _logger };
        InMemoryDataset full = FashionMnistDataset.Load(FashionMnistPart.Train, data, cancellationToken);
        InMemoryDataset? test = null;
        try
        {
            test = FashionMnistDataset.Load(FashionMnistPart.Test, data, cancellationToken);
            (InMemoryDataset train, InMemoryDataset? validation) = Split(full, settings, recipe.Options.Seed);
            return new PreparedRun(recipe, factory, settings, train, validation, test);
        }
        catch
        {
            test?.Dispose();
            throw;
        }
        finally
        {
            full.Dispose();
        }
    }

    /// <summary>Loads the data and runs <paramref name="recipe"/> into <paramref name="folder"/>.</summary>
    public RunSummary Run(BaselineRecipe recipe, RunSettings settings, RunFolder folder, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using PreparedRun prepared = Prepare(recipe, settings, cancellationToken);
        return Run(prepared, folder, progress, cancellationToken);
    }

    /// <summary>
    /// Trains the prepared run into <paramref name="folder"/>, tests it once and writes the report. A run whose
    /// <see cref="TrainerOptions.ResumeFrom"/> is set continues from that checkpoint.
    /// </summary>
    /// <exception cref="RunCancelledException">Cancelled; says which checkpoint, if any, resumes the run.</exception>
    /// <exception cref="RunFolderLockedException">Another process is writing into the folder.</exception>
    /// <exception cref="RunFolderInUseException">The folder holds a run, and the run neither resumes it nor overwrites it.</exception>
    public RunSummary Run(PreparedRun prepared, RunFolder folder, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(folder);
        var clock = Stopwatch.StartNew();
        BaselineRecipe recipe = prepared.Recipe;
        TrainerOptions options = recipe.Options;
        RunSettings settings = prepared.Settings;
        // One writer at a time, and no run silently replaced or mixed with another.
        using RunFolderLock held = folder.Lock();
        bool replacing = false;
        if (!ResumesInto(folder, options) && folder.HoldsRun)
        {
            if (!settings.Overwrite) throw new RunFolderInUseException(folder.Path);
            folder.SetAside();
            replacing = true;
        }
        Directory.CreateDirectory(folder.Path);

        var checkpoint = new ModelCheckpoint(folder.Checkpoints, MonitoredMetric.ValidationAccuracy);
        var trainer = new Trainer(_logger);
        ITrainingCallback[] callbacks = [checkpoint, new HistoryLogger(folder.Path), new DiscardSetAsideRun(folder), .. settings.Callbacks];
        TrainedModel trained;
        try
        {
            if (figures is not null && options.Augmentation is not null) figures.DrawAugmentation(prepared.Train, options.Augmentation, options.Seed, folder.Path);
            trained = trainer.Fit(prepared.Factory, prepared.Train, prepared.Validation, options, callbacks, progress,
                settings.MonitorTest ? prepared.Test : null, cancellationToken);
        }
        catch (Exception e)
        {
            // A new run that wrote no epoch gives the folder back to the run it was to replace.
            if (replacing && !folder.HoldsRun) folder.RestoreSetAside();
            // A checkpoint folder may be left from an earlier run into the same folder: only this run's saves count.
            if (e is OperationCanceledException cancelled)
            {
                string? resumeFrom = checkpoint.LastSavedEpoch is not null ? checkpoint.LastDirectory : options.ResumeFrom;
                throw new RunCancelledException(resumeFrom, cancelled);
            }
            throw;
        }

        using (trained)
        {
            // The test set, once: the final model, then the best one on validation. With flip averaging both go through
            // FlipAveragingClassifier, which holds the same model object, so loading the best weights reaches it.
            using Module<Tensor, Tensor> tested = settings.FlipTestTimeAugmentation ? new FlipAveragingClassifier(trained.Model)
                : settings.FlipShiftTestTimeAugmentation ? new FlipShiftAveragingClassifier(trained.Model, 1, prepared.Recipe.Normalization.Black)
                : trained.Model;
            ModelCard card = ModelCard.For(prepared.Factory.Name, prepared.Train);
            ModelWeights.Save(trained.Model, folder.LastWeights, card);
            using (Predictions final = trainer.Predict(tested, prepared.Test, options.EvaluationBatchSize, options.Device, settings.TestPrecision, cancellationToken))
            {
                PredictionsCsv.Write(final, folder.FinalPredictions);
            }
            int bestEpoch = 0;
            if (prepared.Validation is not null && Directory.Exists(checkpoint.BestDirectory))
            {
                bestEpoch = TrainingCheckpoint.EpochOf(checkpoint.BestDirectory);
                ModelWeights.Load(trained.Model, checkpoint.BestWeights);
            }
            ModelWeights.Save(trained.Model, folder.BestWeights, card);
            using (Predictions best = trainer.Predict(tested, prepared.Test, options.EvaluationBatchSize, options.Device, settings.TestPrecision, cancellationToken))
            {
                PredictionsCsv.Write(best, folder.BestPredictions);
            }

            folder.WriteRecord(new RunRecord(settings.Title ?? prepared.Factory.Name, settings.Command, prepared.Factory.Name,
                recipe.Normalization.Mean.ToArray(), recipe.Normalization.Std.ToArray(), Describe(prepared), bestEpoch,
                clock.Elapsed.TotalSeconds, RunEnvironment.Current()));
            return folder.Rebuild(prepared.Test, figures);
        }
    }

    /// <summary>
    /// Whether <paramref name="options"/> resume the run that <paramref name="folder"/> holds: their checkpoint is in the
    /// folder. Only such a resume may write into a folder that holds a run without overwriting it.
    /// </summary>
    public static bool ResumesInto(RunFolder folder, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ResumeFrom is not string resume) return false;
        string checkpoints = Path.TrimEndingDirectorySeparator(folder.Checkpoints) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(resume).StartsWith(checkpoints, StringComparison.Ordinal);
    }

    /// <summary>Deletes an overwritten run once the new run has written its first epoch (history and checkpoint).</summary>
    sealed class DiscardSetAsideRun(RunFolder folder) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context, EpochRecord record) => folder.DiscardSetAside();
    }

    static (InMemoryDataset Train, InMemoryDataset? Validation) Split(InMemoryDataset full, RunSettings settings, long seed)
    {
        bool sampled = settings.TrainSubset is int n && n < full.Count;
        InMemoryDataset source = sampled ? full.SampleStratified(settings.TrainSubset!.Value, seed) : full;
        int validation = settings.ValidationImages(source.Count);
        if (validation == 0)
        {
            if (sampled) return (source, null); // the sample is the training set
            using Tensor all = arange(full.Count);
            return (full.Subset(all), null);
        }
        try
        {
            if (validation >= source.Count)
            {
                throw new InvalidOptionException("RunSettings.ValidationSize", validation, $"expected fewer than the {source.Count} training images, to leave some to train on");
            }
            return source.SplitStratified(validation, seed);
        }
        finally
        {
            if (sampled) source.Dispose();
        }
    }

    /// <summary>Every setting of the run, for run.json and the report.</summary>
    static Dictionary<string, string> Describe(PreparedRun run)
    {
        TrainerOptions o = run.Recipe.Options;
        string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        var options = new Dictionary<string, string>
        {
            ["model"] = run.Factory.Name,
            ["recipe"] = run.Recipe.Source,
            ["epochs"] = Invariant(o.Epochs),
            ["batch size"] = Invariant(o.BatchSize),
            ["optimizer"] = o.Optimizer.ToString(),
            ["schedule"] = o.Schedule.ToString(),
            ["augmentation"] = o.Augmentation?.ToString() ?? "none",
            ["label smoothing"] = Invariant(o.LabelSmoothing),
            ["gradient clipping"] = o.GradientClipNorm is double clip ? Invariant(clip) : "none",
            ["normalization"] = run.Recipe.Normalization.ToString(),
            ["training images"] = Invariant(run.Train.Count),
            ["validation images"] = Invariant(run.Validation?.Count ?? 0),
            [RunRecord.TestTimeAugmentationOption] = run.Settings.FlipTestTimeAugmentation
                ? "horizontal flip (test predictions average each image's probabilities with its mirror image's)"
                : run.Settings.FlipShiftTestTimeAugmentation
                ? "horizontal flip and one-pixel shifts (test predictions average the probabilities of six views: the image and its shifts by (1, 1) and (-1, -1) pixels, each also mirrored)"
                : "none",
            ["test monitored each epoch"] = run.Settings.MonitorTest ? "yes (recorded only, never used for a decision)" : "no",
            ["seed"] = Invariant(o.Seed),
            ["device"] = o.Device.ToString(),
            ["threads"] = Invariant(get_num_threads()),
            ["weights layout"] = o.ChannelsLast ? "channels-last while training" : "standard (NCHW)",
            ["precision"] = o.Precision == Precision.BFloat16 ? "bfloat16 (float32 master weights)" : "float32",
            ["test precision"] = run.Settings.TestPrecision == Precision.BFloat16 ? "bfloat16" : "float32",
        };
        // Only when set, so that earlier runs (without the key) still group with later ones of the same recipe.
        if (o.WeightAveraging is ExponentialMovingAverage ema) options["weight averaging"] = ema + " (the average is evaluated and kept)";
        return options;
    }
}
