using FashionMnist.Baselines.Training;
using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>
/// A figure's curves over epochs, as the seed's accuracy and loss plots: for a metric name such as <c>accuracy</c>, the
/// history's <c>train_accuracy</c>, <c>validation_accuracy</c> and <c>monitor_accuracy</c> (and <c>accuracy</c> itself),
/// whichever it holds. Any figure a callback records plots the same way (<see cref="ITrainingCallback.OnEpochMeasured"/>).
/// </summary>
public static class LearningCurvePlot
{
    /// <summary>The curves this plot draws for a metric, in order: the history name's prefix and the legend.</summary>
    static readonly (string Prefix, string Legend, LinePattern Pattern)[] Families =
    [
        ("train_", "train", LinePattern.Solid),
        ("validation_", "validation", LinePattern.Solid),
        ("monitor_", "test (monitored only)", LinePattern.Dashed),
        ("", "value", LinePattern.Solid),
    ];

    /// <summary>Saves the curves of <paramref name="metric"/> (such as <c>accuracy</c> or <c>loss</c>) as a PNG.</summary>
    /// <exception cref="ArgumentException">The history is empty or holds no figure of that name.</exception>
    public static void Save(TrainingHistory history, string metric, string path, string? title = null, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(history);
        Save(history.Epochs, metric, path, title, width, height);
    }

    /// <summary>Saves the curves of <paramref name="metric"/> over <paramref name="epochs"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">There are no epochs, or none holds a figure of that name.</exception>
    public static void Save(IReadOnlyList<EpochRecord> epochs, string metric, string path, string? title = null, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        if (epochs.Count == 0) throw new ArgumentException("The history has no epochs to plot.", nameof(epochs));
        var plot = new Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        int curves = 0;
        Color[] colors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];
        for (int f = 0; f < Families.Length; f++)
        {
            string name = Families[f].Prefix + metric;
            double?[] values = epochs.Select(e => e[name]).ToArray();
            if (values.All(v => v is null)) continue;
            var scatter = plot.Add.ScatterLine(x, values.Select(v => v ?? double.NaN).ToArray(), colors[f]);
            scatter.LegendText = Families[f].Legend;
            scatter.LineWidth = 2;
            scatter.LinePattern = Families[f].Pattern;
            scatter.MarkerSize = epochs.Count <= 30 ? 5 : 0;
            curves++;
        }
        if (curves == 0)
        {
            throw new ArgumentException(
                $"The history has no figure '{metric}' (nor train_/validation_/monitor_{metric}); it has: {string.Join(", ", epochs.SelectMany(e => e.Metrics.Keys).Distinct())}.",
                nameof(metric));
        }

        // Whole epochs only on the x axis.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        string label = char.ToUpperInvariant(metric[0]) + metric[1..].Replace('_', ' ');
        plot.Title(title ?? label);
        plot.XLabel("Epoch");
        plot.YLabel(metric == "loss" ? "Loss (cross-entropy)" : label);
        plot.ShowLegend(metric.Contains("accuracy", StringComparison.Ordinal) ? Alignment.LowerRight : Alignment.UpperRight);
        PlotFiles.SavePng(plot, path, width, height);
    }
}
