using FashionMnist.Baselines.Training;
using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>
/// Several runs' curves of one figure (validation accuracy by default) over their training time rather than their
/// epochs, so that recipes of different speeds compare at equal wall time: each point is an epoch's figure at the sum
/// of the training seconds up to and including that epoch (the histories' <c>seconds</c>; evaluations not counted).
/// The y axis starts 0.06 below the lowest final value, so early epochs may lie below it.
/// </summary>
public static class TrainingTimeCurvePlot
{
    /// <summary>Saves the curves of <paramref name="runs"/> as a PNG, with a dotted line at <paramref name="target"/> when given.</summary>
    /// <exception cref="ArgumentException">There are no runs, a run has no epochs, or one lacks the figure or epoch times.</exception>
    public static void Save(IReadOnlyList<(string Label, TrainingHistory History)> runs, string path, string metric = "validation_accuracy",
        double? target = null, string? title = null, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        if (runs.Count == 0) throw new ArgumentException("There are no runs to plot.", nameof(runs));
        var plot = new Plot();
        double longest = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            (string label, TrainingHistory history) = runs[r];
            IReadOnlyList<EpochRecord> epochs = history.Epochs;
            if (epochs.Count == 0) throw new ArgumentException($"Run '{label}' has no epochs.", nameof(runs));
            if (epochs.Any(e => e[metric] is null || double.IsNaN(e.Seconds)))
            {
                throw new ArgumentException($"Run '{label}' lacks '{metric}' or the epoch times in some epoch.", nameof(runs));
            }
            double[] minutes = new double[epochs.Count];
            double sum = 0;
            for (int i = 0; i < epochs.Count; i++) minutes[i] = (sum += epochs[i].Seconds) / 60;
            longest = Math.Max(longest, minutes[^1]);
            var line = plot.Add.ScatterLine(minutes, [.. epochs.Select(e => e[metric]!.Value)], plot.Add.Palette.GetColor(r));
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 4;
        }
        if (target is double level)
        {
            var lineAt = plot.Add.HorizontalLine(level, 1, Colors.Gray, LinePattern.Dotted);
            lineAt.LegendText = $"{level:0.###}";
        }
        string label0 = char.ToUpperInvariant(metric[0]) + metric[1..].Replace('_', ' ');
        plot.Title(title ?? $"{label0} over training time");
        plot.XLabel("Training time (minutes, sum of epoch times)");
        plot.YLabel(label0);
        plot.Axes.SetLimitsX(0, longest * 1.02);
        // The end of training is what compares: the axis starts 0.06 below the lowest final value (early epochs may
        // fall below it), so that a difference of a few tenths of a point stays visible.
        double lowestFinal = runs.Min(r => r.History.Epochs[^1][metric]!.Value);
        double highest = runs.Max(r => r.History.Epochs.Max(e => e[metric]!.Value));
        plot.Axes.SetLimitsY(lowestFinal - 0.06, highest + 0.01);
        plot.ShowLegend(Alignment.LowerRight);
        PlotFiles.SavePng(plot, path, width, height);
    }
}
