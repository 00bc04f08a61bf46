using FashionMnist.Baselines.Metrics;
using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>A confusion-matrix heatmap with the count in every cell and the class names on both axes.</summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Saves <paramref name="matrix"/> as a PNG; colours follow the row-normalised share (the recall on the diagonal), text gives the counts.</summary>
    public static void Save(ConfusionMatrix matrix, string path, string? title = null, int width = 900, int height = 820)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.ClassCount;
        double[,] share = matrix.Normalized(ConfusionNormalization.True);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        // Light for few, dark blue for many, on a fixed 0..1 scale so that runs compare.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, 1);

        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                // Row 0 (the first true class) at the top, as in scikit-learn's plot.
                var text = plot.Add.Text(matrix[actual, predicted].ToString(System.Globalization.CultureInfo.InvariantCulture), predicted, n - 1 - actual);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelFontColor = share[actual, predicted] > 0.5 ? Colors.White : Colors.Black;
            }
        }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, matrix.ClassNames.ToArray());
        plot.Axes.Left.SetTicks(positions, matrix.ClassNames.Reverse().ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.Left.MinimumSize = 100;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.XLabel("Predicted label");
        plot.YLabel("True label");
        plot.Title(title ?? "Confusion matrix");
        plot.Grid.IsVisible = false;
        PlotFiles.SavePng(plot, path, width, height);
    }
}
