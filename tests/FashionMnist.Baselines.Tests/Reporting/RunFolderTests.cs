using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Reporting;

/// <summary>The library's run folder on synthetic files: no data set, no training.</summary>
public sealed class RunFolderTests
{
    static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>A run folder with run.json, a two-epoch history (with a callback's own figure) and both prediction files.</summary>
    static RunFolder WriteRun(TempDirectory dir, int bestEpoch)
    {
        var folder = new RunFolder(dir.Combine("run"));
        Directory.CreateDirectory(folder.Path);
        folder.WriteRecord(new RunRecord("tiny", "test", "cnn", [0f], [1f], new Dictionary<string, string> { ["seed"] = "0" }, bestEpoch, 12.5,
            RunEnvironment.Current()));
        var history = new TrainingHistory(Enumerable.Range(1, 2).Select(e => new EpochRecord(e, new Dictionary<string, double>
        {
            [EpochMetrics.TrainLoss] = 1.0 / e, [EpochMetrics.TrainAccuracy] = 0.5 + e / 10.0,
            [EpochMetrics.ValidationLoss] = 1.2 / e, [EpochMetrics.ValidationAccuracy] = 0.4 + e / 10.0,
            ["validation_top2"] = 0.9, [EpochMetrics.LearningRate] = 0.1, [EpochMetrics.Seconds] = 3, [EpochMetrics.ImagesPerSecond] = 100,
        })));
        File.WriteAllText(folder.HistoryJson, history.ToJson());
        // Sample 3 is wrong with 0.7 on the wrong class; the best model gets 3 of 4 right, the final one 2 of 4.
        using (var best = new Predictions(tensor(new float[] { 0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.2f, 0.7f, 0.1f }, [4, 3]),
                   tensor(new long[] { 0, 1, 2, 0 }), tensor(new long[] { 0, 1, 2, 3 }), Classes))
        {
            PredictionsCsv.Write(best, folder.BestPredictions);
        }
        using (var final = new Predictions(tensor(new float[] { 0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.1f, 0.8f, 0.2f, 0.7f, 0.1f }, [4, 3]),
                   tensor(new long[] { 0, 1, 2, 0 }), tensor(new long[] { 0, 1, 2, 3 }), Classes))
        {
            PredictionsCsv.Write(final, folder.FinalPredictions);
        }
        return folder;
    }

    static InMemoryDataset Images() => new(zeros([4, 1, 4, 4], ScalarType.Byte), tensor(new long[] { 0, 1, 2, 0 }), Classes, ImageNormalization.None);

    [Fact]
    public void Rebuild_scores_both_models_by_log_loss_and_lists_every_recorded_figure()
    {
        using var dir = new TempDirectory();
        RunFolder folder = WriteRun(dir, bestEpoch: 2);
        using InMemoryDataset test = Images();

        RunSummary summary = folder.Rebuild(test);

        summary.Test.Select(c => c.Name).Should().Equal("best on validation (epoch 2)", "final");
        summary.Test[0].Accuracy.Should().Be(0.75);
        summary.Test[1].Accuracy.Should().Be(0.5);
        summary.Test[0].LogLoss.Should().BeApproximately(-(3 * Math.Log(0.8) + Math.Log(0.2)) / 4, 1e-6);
        string report = File.ReadAllText(folder.File("report.md"));
        report.Should().Contain("| best on validation (epoch 2) | 0.7500 |").And.Contain("validation top2", "a callback's figure gets its column");
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(folder.File("metrics.json")));
        metrics.RootElement.GetProperty("test")[0].GetProperty("logLoss").GetDouble().Should().BeApproximately(summary.Test[0].LogLoss, 1e-12);
        metrics.RootElement.GetProperty("history")[1].GetProperty("validation_top2").GetDouble().Should().Be(0.9);
    }

    [Fact]
    public void Without_validation_the_final_model_is_scored_once_and_figures_are_drawn_through_IRunFigures()
    {
        using var dir = new TempDirectory();
        RunFolder folder = WriteRun(dir, bestEpoch: 0);
        using InMemoryDataset test = Images();
        var figures = new RecordingFigures();

        RunSummary summary = folder.Rebuild(test, figures);

        summary.Test.Select(c => c.Name).Should().Equal("final");
        figures.Calls.Should().Equal("history tiny 2", "test tiny final 4");
        summary.Images.Select(i => i.Path).Should().Equal("history.png", "test.png");
    }

    [Fact]
    public void A_damaged_or_missing_run_json_is_named()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolder(dir.Path);
        folder.Invoking(f => f.ReadRecord()).Should().Throw<FileNotFoundException>().WithMessage($"*{dir.Path}*not a run folder*");
        File.WriteAllText(folder.RunJson, "{ \"title\": ");
        folder.Invoking(f => f.ReadRecord()).Should().Throw<InvalidDataException>().WithMessage($"*{folder.RunJson}*damaged*");
    }

    sealed class RecordingFigures : IRunFigures
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<RunImage> DrawHistory(string title, TrainingHistory history, string directory)
        {
            Calls.Add($"history {title} {history.Epochs.Count}");
            return [new RunImage("history", "history.png")];
        }

        public IReadOnlyList<RunImage> DrawTestResults(string title, string modelName, Predictions predictions, IDataset test, string directory)
        {
            Calls.Add($"test {title} {modelName} {predictions.Count}");
            return [new RunImage("test", "test.png")];
        }

        public IReadOnlyList<RunImage> DrawAugmentation(IDataset train, FashionMnist.Baselines.Augmentation.IBatchTransform augmentation, long seed, string directory) =>
            throw new InvalidOperationException("Rebuild never draws augmentation");
    }
}
