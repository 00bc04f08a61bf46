using FashionMnist.Baselines.Training;
using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>Which figure a learning curve shows.</summary>
public enum CurveMetric
{
    /// <summary>Accuracy per epoch.</summary>
    Accuracy,

    /// <summary>Loss per epoch.</summary>
    Loss,
}

/// <summary>Training, validation and (if monitored) test curves over epochs, as the seed's accuracy and loss plots.</summary>
public static class LearningCurvePlot
{
    /// <summary>Saves the curve of <paramref name="metric"/> as a PNG of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static void Save(IReadOnlyList<EpochRecord> history, CurveMetric metric, string path, string title, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("The history has no epochs to plot.", nameof(history));
        var plot = new Plot();
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        bool accuracy = metric == CurveMetric.Accuracy;

        void Line(string label, IEnumerable<double?> values, Color color, LinePattern pattern)
        {
            double?[] v = values.ToArray();
            if (v.All(x => x is null)) return;
            var scatter = plot.Add.ScatterLine(epochs, v.Select(x => x ?? double.NaN).ToArray(), color);
            scatter.LegendText = label;
            scatter.LineWidth = 2;
            scatter.LinePattern = pattern;
            scatter.MarkerSize = history.Count <= 30 ? 5 : 0;
        }

        Line("train", history.Select(e => (double?)(accuracy ? e.TrainAccuracy : e.TrainLoss)), Colors.C0, LinePattern.Solid);
        Line("validation", history.Select(e => accuracy ? e.ValidationAccuracy : e.ValidationLoss), Colors.C1, LinePattern.Solid);
        Line("test (monitored only)", history.Select(e => accuracy ? e.MonitorAccuracy : e.MonitorLoss), Colors.C2, LinePattern.Dashed);

        // Whole epochs only on the x axis.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel(accuracy ? "Accuracy" : "Loss (cross-entropy)");
        plot.ShowLegend(accuracy ? Alignment.LowerRight : Alignment.UpperRight);
        PlotFiles.SavePng(plot, path, width, height);
    }
}
