using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Runtime;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// The files of a run: <c>run.json</c>, the history, the checkpoints, the weights, the test predictions, the report
/// and its pictures. <see cref="Rebuild"/> makes the report, <c>metrics.json</c> and the pictures from the other files,
/// so they can be redone (with newer code, say) without the model.
/// </summary>
public sealed class RunFolder
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>A run folder at <paramref name="path"/> (made when something is written).</summary>
    public RunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary><c>run.json</c>: how the run was made (<see cref="RunRecord"/>).</summary>
    public string RunJson => File("run.json");

    /// <summary>The checkpoint folder (<c>last/</c> and <c>best/</c>).</summary>
    public string Checkpoints => File("checkpoints");

    /// <summary>The weights of the model selected on validation (the final model's when the run had no validation set).</summary>
    public string BestWeights => File("weights-best.bin");

    /// <summary>The weights of the final model.</summary>
    public string LastWeights => File("weights-last.bin");

    /// <summary>The test predictions of the selected model (the final model's when the run had no validation set).</summary>
    public string BestPredictions => File("predictions-test.csv");

    /// <summary>The test predictions of the final model.</summary>
    public string FinalPredictions => File("predictions-test-final.csv");

    /// <summary><c>history.json</c>, written after every epoch by <see cref="HistoryLogger"/>.</summary>
    public string HistoryJson => File("history.json");

    /// <summary>Whether the folder holds a run, or the start of one: run.json, a history or checkpoints.</summary>
    public bool HoldsRun => System.IO.File.Exists(RunJson) || System.IO.File.Exists(HistoryJson) || Directory.Exists(Checkpoints);

    /// <summary>
    /// Takes the folder's lock (see <see cref="RunFolderLock"/>) for as long as the result is not disposed, and repairs
    /// an overwrite that a killed process left half done. Every writer of the folder holds it: the recipe runner while it
    /// trains, <c>fmb report</c> while it rebuilds.
    /// </summary>
    /// <exception cref="RunFolderLockedException">Another live process holds the lock; the message names it.</exception>
    public RunFolderLock Lock()
    {
        RunFolderLock held = RunFolderLock.Take(Path);
        try
        {
            RecoverOverwrite();
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    // Where an overwritten run waits, until the new run has written its first epoch.
    string SetAsidePath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, $".{System.IO.Path.GetFileName(Path)}.replaced");

    /// <summary>Moves the run in the folder aside in one rename, so that a new run starts in an empty folder (lock held).</summary>
    internal void SetAside()
    {
        Directory.Move(Path, SetAsidePath);
        Directory.CreateDirectory(Path);
    }

    /// <summary>Deletes the run set aside: the new run has written its first epoch.</summary>
    internal void DiscardSetAside()
    {
        if (Directory.Exists(SetAsidePath)) Directory.Delete(SetAsidePath, recursive: true);
    }

    /// <summary>Puts the run set aside back in place of a new run that wrote no epoch.</summary>
    internal void RestoreSetAside()
    {
        if (!Directory.Exists(SetAsidePath)) return;
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        Directory.Move(SetAsidePath, Path);
    }

    /// <summary>An overwrite killed halfway: keep the new run if it wrote an epoch, else put the old one back.</summary>
    void RecoverOverwrite()
    {
        if (!Directory.Exists(SetAsidePath)) return;
        if (HoldsRun) DiscardSetAside();
        else RestoreSetAside();
    }

    /// <summary>Writes <paramref name="record"/> as <c>run.json</c>, atomically.</summary>
    public void WriteRecord(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        AtomicFile.WriteAllText(RunJson, JsonSerializer.Serialize(record, Json));
    }

    /// <summary>Reads <c>run.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json: it is not a run folder.</exception>
    /// <exception cref="InvalidDataException">run.json is damaged; the message names it.</exception>
    public RunRecord ReadRecord()
    {
        if (!System.IO.File.Exists(RunJson)) throw new FileNotFoundException($"{Path} is not a run folder: it has no run.json.", RunJson);
        return ReadJson(RunJson, text => JsonSerializer.Deserialize<RunRecord>(text, Json)) ?? throw new InvalidDataException($"{RunJson} is empty.");
    }

    /// <summary>The run's history (empty when the run has none yet).</summary>
    /// <exception cref="InvalidDataException">history.json is damaged; the message names it.</exception>
    public TrainingHistory ReadHistory() =>
        System.IO.File.Exists(HistoryJson) ? ReadJson(HistoryJson, TrainingHistory.FromJson) : new TrainingHistory();

    /// <summary>
    /// Writes <c>report.md</c>, <c>metrics.json</c> and, with <paramref name="figures"/>, the pictures, from
    /// <c>run.json</c>, <c>history.json</c> and the prediction files; <paramref name="test"/> is the data set the
    /// predictions were made on (for the misclassified images and the class names). It takes no lock: call it with
    /// <see cref="Lock"/> held, as the recipe runner and <c>fmb report</c> do.
    /// </summary>
    public RunSummary Rebuild(IDataset test, IRunFigures? figures = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        RunRecord record = ReadRecord();
        TrainingHistory history = ReadHistory();
        var images = new List<RunImage>();
        if (figures is not null && history.Epochs.Count > 0) images.AddRange(figures.DrawHistory(record.Title, history, Path));

        var cards = new List<ScoreCard>();
        IReadOnlyList<ConfusedPair> confused = [];
        // Runs tested through a test-time augmentation say so in the names of their scores.
        string tested = !record.FlipAveraged ? "" : record.Options[RunRecord.TestTimeAugmentationOption].Contains("shift", StringComparison.Ordinal) ? ", flip+shift-averaged" : ", flip-averaged";
        // Without a validation set nothing is selected (BestEpoch 0): the final model is the only one, tested once.
        (string File, string Name)[] tests = record.BestEpoch > 0
            ? [(BestPredictions, $"best on validation (epoch {record.BestEpoch}){tested}"), (FinalPredictions, "final" + tested)]
            : [(BestPredictions, "final" + tested)];
        foreach ((string file, string name) in tests.Where(t => System.IO.File.Exists(t.File)))
        {
            using Predictions predictions = PredictionsCsv.Read(file, test.ClassNames);
            cards.Add(ScoreCard.From(name, predictions));
            if (cards.Count > 1) continue;
            confused = Interpretation.MostConfused(predictions.ConfusionMatrix(), 10);
            if (figures is not null) images.AddRange(figures.DrawTestResults(record.Title, name, predictions, test, Path));
        }
        if (System.IO.File.Exists(File(AugmentedSamplesFile))) images.Add(new RunImage("Augmented training samples", AugmentedSamplesFile));

        var summary = new RunSummary(record.Title, record.Command, record.Options, history.Epochs, record.BestEpoch, cards, confused, images,
            record.WallSeconds, record.Environment);
        RunReport.Write(summary, Path);
        return summary;
    }

    /// <summary>The picture of augmented training samples, drawn once when a run starts.</summary>
    public const string AugmentedSamplesFile = "augmented.png";

    /// <summary>A damaged JSON file of the run ends as an <see cref="InvalidDataException"/> that names it.</summary>
    static T ReadJson<T>(string path, Func<string, T> parse)
    {
        try
        {
            return parse(System.IO.File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is damaged: {e.Message}", e);
        }
    }
}
