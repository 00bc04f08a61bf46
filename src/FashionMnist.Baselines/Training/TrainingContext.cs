using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>The state of a run of <see cref="Trainer"/>, as callbacks see it.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(Module<Tensor, Tensor> model, OptimizerHelper optimizer, TrainerOptions options, TrainingHistory history,
        LearningRateSchedule schedule, Generator augmentationGenerator, ILogger logger, bool hasValidation)
    {
        HasValidation = hasValidation;
        Model = model;
        Optimizer = optimizer;
        Options = options;
        History = history;
        Schedule = schedule;
        AugmentationGenerator = augmentationGenerator;
        Logger = logger;
    }

    /// <summary>The model being trained.</summary>
    public Module<Tensor, Tensor> Model { get; }

    /// <summary>Its optimizer.</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>The run's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The epochs completed so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>Whether the run has a validation set (validation figures are measured every epoch).</summary>
    public bool HasValidation { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The run's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Whether a callback asked to stop after this epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Why the run was asked to stop.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The batch of <see cref="Epoch"/> that ended last, from 1 (0 before the epoch's first).</summary>
    public int Batch { get; internal set; }

    /// <summary>The model's name, as the factory gives it (the module's type name for <c>Fit(Module)</c>); checkpoints record it.</summary>
    internal string ModelName { get; init; } = "";

    /// <summary>The float32 masters the optimizer steps when training in <see cref="Precision.BFloat16"/>, else null.</summary>
    internal TorchSharp.Modules.Parameter[]? BFloat16Masters { get; init; }

    /// <summary>The other set of weights when the run averages its weights (TrainerOptions.WeightAveraging), else null.</summary>
    internal AveragedWeights? AveragedWeights { get; init; }

    internal LearningRateSchedule Schedule { get; }

    readonly System.Diagnostics.Stopwatch _clock = new();
    int _firstEpoch;

    /// <summary>Starts the clock of the run, which resumes after <paramref name="completedEpochs"/>.</summary>
    internal void StartClock(int completedEpochs)
    {
        _firstEpoch = completedEpochs;
        _clock.Restart();
    }

    /// <summary>
    /// Time since <see cref="StartClock"/>, and the time left at the rate so far (null before the first batch), after
    /// <paramref name="batch"/> of <paramref name="batchesPerEpoch"/> of <see cref="Epoch"/>. Validation time per epoch is
    /// counted in the rate from the second epoch on.
    /// </summary>
    internal (TimeSpan Elapsed, TimeSpan? Remaining) Timing(int batch, int batchesPerEpoch)
    {
        TimeSpan elapsed = _clock.Elapsed;
        long done = (long)(Epoch - 1 - _firstEpoch) * batchesPerEpoch + batch;
        long total = (long)(Options.Epochs - _firstEpoch) * batchesPerEpoch;
        return (elapsed, done <= 0 ? null : elapsed * ((double)(total - done) / done));
    }

    internal Generator AugmentationGenerator { get; }

    /// <summary>Asks the trainer to stop after the current epoch.</summary>
    public void RequestStop(string reason)
    {
        StopRequested = true;
        StopReason = reason;
    }

    /// <summary>Writes a checkpoint of the run as it stands after <see cref="Epoch"/> into <paramref name="directory"/>.</summary>
    public void SaveCheckpoint(string directory) => TrainingCheckpoint.Save(this, directory);
}
