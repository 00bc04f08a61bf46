using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Training;

/// <summary>Writes the history as <c>history.csv</c> and <c>history.json</c> into a folder after every epoch (each file atomically).</summary>
public sealed class HistoryLogger(string directory) : ITrainingCallback
{
    /// <summary>The folder written to.</summary>
    public string Directory { get; } = string.IsNullOrEmpty(directory) ? throw new ArgumentException("A directory is needed.", nameof(directory)) : directory;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllText(Path.Combine(Directory, "history.csv"), context.History.ToCsv());
        AtomicFile.WriteAllText(Path.Combine(Directory, "history.json"), context.History.ToJson());
    }
}
