using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// Saves resumable checkpoints into <see cref="Directory"/>: <c>last/</c> after every epoch and <c>best/</c> after
/// every epoch that improves <see cref="Monitor"/> (validation figures only, so the test set never selects; a run
/// without a validation set writes <c>last/</c> only, and its final model is the one to use).
/// Resume with <see cref="TrainerOptions.ResumeFrom"/> = <see cref="LastDirectory"/>.
/// </summary>
public sealed class ModelCheckpoint : ITrainingCallback
{
    /// <summary>Creates the callback.</summary>
    public ModelCheckpoint(string directory, MonitoredMetric monitor = MonitoredMetric.ValidationAccuracy)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        InvalidOptionException.Check(monitor != MonitoredMetric.TrainLoss, "ModelCheckpoint.Monitor", monitor, "expected a validation figure");
        Directory = directory;
        Monitor = monitor;
    }

    /// <summary>The folder holding <c>last/</c> and <c>best/</c>.</summary>
    public string Directory { get; }

    /// <summary>The validation figure that decides the best checkpoint.</summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>The checkpoint of the latest epoch.</summary>
    public string LastDirectory => Path.Combine(Directory, "last");

    /// <summary>The checkpoint of the best epoch on validation.</summary>
    public string BestDirectory => Path.Combine(Directory, "best");

    /// <summary>The weights file of the best checkpoint.</summary>
    public string BestWeights => TrainingCheckpoint.WeightsPath(BestDirectory);

    /// <summary>The weights file of the last checkpoint.</summary>
    public string LastWeights => TrainingCheckpoint.WeightsPath(LastDirectory);

    /// <summary>
    /// The epoch of the last checkpoint this callback has saved, or null before its first save. A directory that
    /// already exists proves nothing: it may be left from an earlier run in the same folder.
    /// </summary>
    public int? LastSavedEpoch { get; private set; }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        context.SaveCheckpoint(LastDirectory);
        LastSavedEpoch = record.Epoch;
        Log.CheckpointSaved(context.Logger, LastDirectory, record.Epoch);
        if (record.Value(Monitor) is not null && ReferenceEquals(context.History.Best(Monitor), record))
        {
            context.SaveCheckpoint(BestDirectory);
            Log.CheckpointSaved(context.Logger, BestDirectory, record.Epoch);
        }
    }
}
