using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Cli;

/// <summary>What a run folder records about how the run was made (run.json).</summary>
internal sealed record RunRecord(
    string Title, string Command, string Model, float[] NormalizationMean, float[] NormalizationStd,
    Dictionary<string, string> Options, int BestEpoch, double WallSeconds, RunEnvironment Environment)
{
    public ImageNormalization Normalization => new(NormalizationMean, NormalizationStd);
}

/// <summary>
/// The files of a run: run.json, history, checkpoints, weights, test predictions, the report and its pictures.
/// <see cref="Rebuild"/> makes the report and the pictures from the other files, so <c>report</c> can redo them.
/// </summary>
internal sealed class RunFolder(string path)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string RunJson => File("run.json");
    public string Checkpoints => File("checkpoints");
    public string BestWeights => File("weights-best.bin");
    public string LastWeights => File("weights-last.bin");
    public string BestPredictions => File("predictions-test.csv");
    public string FinalPredictions => File("predictions-test-final.csv");

    public void WriteRecord(RunRecord record)
    {
        Directory.CreateDirectory(Path);
        string temporary = RunJson + ".partial";
        System.IO.File.WriteAllText(temporary, JsonSerializer.Serialize(record, Json));
        System.IO.File.Move(temporary, RunJson, overwrite: true);
    }

    public RunRecord ReadRecord()
    {
        if (!System.IO.File.Exists(RunJson)) throw new UsageException($"{Path} is not a run folder: it has no run.json.");
        return ReadJson(RunJson, text => JsonSerializer.Deserialize<RunRecord>(text, Json)) ?? throw new InvalidDataException($"{RunJson} is empty.");
    }

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

    /// <summary>Writes report.md, metrics.json and the PNGs from run.json, history.json and the prediction files.</summary>
    public RunSummary Rebuild(IDataset test)
    {
        RunRecord record = ReadRecord();
        string historyPath = File("history.json");
        IReadOnlyList<EpochRecord> history = System.IO.File.Exists(historyPath)
            ? ReadJson(historyPath, TrainingHistory.FromJson).Epochs
            : [];

        var cards = new List<ScoreCard>();
        var images = new List<RunImage>();
        IReadOnlyList<ConfusedPair> confused = [];
        if (history.Count > 0)
        {
            LearningCurvePlot.Save(history, CurveMetric.Accuracy, File("accuracy.png"), $"{record.Title}: accuracy");
            LearningCurvePlot.Save(history, CurveMetric.Loss, File("loss.png"), $"{record.Title}: loss");
            images.Add(new RunImage("Accuracy per epoch", "accuracy.png"));
            images.Add(new RunImage("Loss per epoch", "loss.png"));
        }

        bool first = true;
        // Runs trained with --flip-tta predicted the test set through FlipAveragingClassifier; the names say so.
        string tested = record.Options.GetValueOrDefault("test-time augmentation", "none") == "none" ? "" : ", flip-averaged";
        // Without a validation set nothing is selected (BestEpoch 0): the final model is the only one, tested once.
        var tests = record.BestEpoch > 0
            ? new[] { (BestPredictions, $"best on validation (epoch {record.BestEpoch}){tested}"), (FinalPredictions, "final" + tested) }
            : new[] { (BestPredictions, "final" + tested) };
        foreach ((string file, string name) in tests)
        {
            if (!System.IO.File.Exists(file)) continue;
            using Predictions predictions = PredictionsCsv.Read(file, test.ClassNames);
            cards.Add(ScoreCard.From(name, Score(predictions)));
            if (!first) continue;
            first = false;
            ConfusionMatrix matrix = predictions.ConfusionMatrix();
            confused = Interpretation.MostConfused(matrix, 10);
            ConfusionMatrixPlot.Save(matrix, File("confusion-matrix.png"), $"{record.Title}: test confusion matrix ({name})");
            MisclassifiedGrid.Save(predictions, test, File("misclassified.png"), $"{record.Title}: most confidently wrong test images", 16, 4);
            images.Add(new RunImage("Confusion matrix on the test set", "confusion-matrix.png"));
            images.Add(new RunImage("Misclassified test images with their predicted probabilities", "misclassified.png"));
        }
        if (System.IO.File.Exists(File("augmented.png"))) images.Add(new RunImage("Augmented training samples", "augmented.png"));

        var summary = new RunSummary(record.Title, record.Command, record.Options, history, record.BestEpoch, cards, confused, images,
            record.WallSeconds, record.Environment);
        RunReport.Write(summary, Path);
        return summary;
    }

    /// <summary>
    /// The evaluation that predictions stand for. The loss is scikit-learn's <c>log_loss</c> of the probabilities, the
    /// only loss a predictions file can give (a confident mistake counts at most 15.9 in float32, where the cross-entropy
    /// of the logits goes on growing); <c>evaluate</c> prints the same, so both agree on the same weights.
    /// </summary>
    public static EvaluationResult Score(Predictions predictions) => new(
        ProbabilityMetrics.LogLoss(predictions.Probabilities, predictions.Actual),
        predictions.Accuracy,
        predictions.Count,
        new ClassificationMetrics(predictions.ConfusionMatrix()));
}
