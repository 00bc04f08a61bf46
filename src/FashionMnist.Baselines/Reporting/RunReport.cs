using System.Globalization;
using System.Text;
using System.Text.Json;
using FashionMnist.Baselines.Training;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Reporting;

/// <summary>Writes a run as Markdown for people (<c>report.md</c>) and JSON for machines (<c>metrics.json</c>).</summary>
public static class RunReport
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The JSON form of <paramref name="summary"/>.</summary>
    public static string ToJson(RunSummary summary) => JsonSerializer.Serialize(summary, Json);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static RunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, Json) ?? throw new JsonException("The run summary JSON is empty.");

    /// <summary>The Markdown report of <paramref name="summary"/>.</summary>
    public static string ToMarkdown(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var md = new StringBuilder();
        string F(double v, string format = "F4") => v.ToString(format, CultureInfo.InvariantCulture);

        md.Append("# ").Append(summary.Title).Append("\n\n");
        md.Append("```\n").Append(summary.Command).Append("\n```\n\n");
        md.Append("## Test results\n\n| model | accuracy | log loss |\n|---|---|---|\n");
        foreach (ScoreCard card in summary.Test) md.Append($"| {card.Name} | {F(card.Accuracy)} | {F(card.LogLoss)} |\n");
        if (summary.BestEpoch > 0) md.Append($"\nThe best model was chosen on the validation set (epoch {summary.BestEpoch}); the test set was used once, at the end.\n");
        EpochRecord? monitorBest = summary.History.Where(e => e.MonitorAccuracy != null).MaxBy(e => e.MonitorAccuracy);
        if (monitorBest != null)
        {
            md.Append($"\nFor comparison with publications that validated on the test set only: the best per-epoch test accuracy (monitored, used for no decision) was {F(monitorBest.MonitorAccuracy!.Value)} in epoch {monitorBest.Epoch}.\n");
        }

        foreach (RunImage image in summary.Images) md.Append($"\n![{image.Caption}]({image.Path})\n");

        foreach (ScoreCard card in summary.Test)
        {
            md.Append($"\n## Classification report: {card.Name}\n\n```\n").Append(card.Report).Append("```\n");
        }

        if (summary.MostConfused.Count > 0)
        {
            md.Append("\n## Most confused pairs\n\n| actual | predicted | count |\n|---|---|---|\n");
            foreach (var pair in summary.MostConfused) md.Append($"| {pair.ActualName} | {pair.PredictedName} | {pair.Count} |\n");
        }

        // One column per figure the history holds, so a callback's own figure appears without a change here.
        string[] names = summary.History.SelectMany(e => e.Metrics.Keys).Distinct().ToArray();
        md.Append("\n## History\n\n| epoch | ").AppendJoin(" | ", names.Select(n => n.Replace('_', ' '))).Append(" |\n|---|")
          .Append(string.Concat(names.Select(_ => "---|"))).Append('\n');
        foreach (EpochRecord e in summary.History)
        {
            md.Append($"| {e.Epoch} | ").AppendJoin(" | ", names.Select(n => e[n] is double v ? F(v, HistoryFormat(n)) : "")).Append(" |\n");
        }

        md.Append("\n## Options\n\n| option | value |\n|---|---|\n");
        foreach ((string name, string value) in summary.Options) md.Append($"| {name} | {value} |\n");

        RunEnvironment env = summary.Environment;
        md.Append($"\n## Environment\n\nFashionMnist.Baselines {env.Library}, TorchSharp {env.TorchSharp}, LibTorch {env.LibTorch}, {env.Runtime}, {env.OperatingSystem}, " +
                  $"{env.Processors} logical processors, {env.Threads} TorchSharp threads. Wall time {F(summary.WallSeconds / 60, "F1")} minutes.\n");
        return md.ToString();
    }

    static string HistoryFormat(string metric) => metric switch
    {
        EpochMetrics.LearningRate => "G4",
        EpochMetrics.Seconds => "F1",
        EpochMetrics.ImagesPerSecond => "F0",
        _ => "F4",
    };

    /// <summary>Writes <c>report.md</c> and <c>metrics.json</c> into <paramref name="directory"/> (each atomically).</summary>
    public static void Write(RunSummary summary, string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "report.md"), ToMarkdown(summary));
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.json"), ToJson(summary));
    }
}
