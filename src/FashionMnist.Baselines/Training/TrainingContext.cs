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

    internal LearningRateSchedule Schedule { get; }

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
