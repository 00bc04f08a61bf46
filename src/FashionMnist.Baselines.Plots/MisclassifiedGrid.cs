using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using SkiaSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Plots;

/// <summary>
/// A grid of misclassified images, most confidently wrong first (highest probability on the wrong class), each captioned
/// like "Shirt 51% (Pullover)" (predicted class, its probability, true class) with a bar chart of its class probabilities.
/// </summary>
public static class MisclassifiedGrid
{
    const int CellWidth = 330, CellHeight = 190, ImageSide = 112, Margin = 12, Header = 70;

    /// <summary>
    /// Saves up to <paramref name="count"/> misclassified samples of <paramref name="predictions"/>, whose indices
    /// point into <paramref name="data"/>, as a PNG with <paramref name="columns"/> columns.
    /// </summary>
    public static void Save(Predictions predictions, IDataset data, string path, string? title = null, int count = 16, int columns = 4)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(data);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 1.");
        IReadOnlyList<TopLoss> wrong = Interpretation.MostConfidentlyWrong(predictions, count);
        int rows = Math.Max(1, (wrong.Count + columns - 1) / columns);
        int classes = predictions.ClassNames.Count;
        using var sketch = new Sketch(columns * CellWidth + 2 * Margin, Header + rows * CellHeight + Margin);
        sketch.Text(title ?? "Most confidently wrong predictions", Margin, 26, 20, SKColors.Black, bold: true);
        sketch.Text($"Most confident first. Caption: predicted class, its probability (true class). Bars: the {classes} class probabilities; red = predicted, green = true.",
            Margin, 48, 13, SKColors.DimGray);
        sketch.Text("Classes: " + string.Join("  ", predictions.ClassNames.Select((n, i) => $"{i} {n}")), Margin, 64, 12, SKColors.DimGray);
        if (wrong.Count == 0)
        {
            sketch.Text("No misclassified images.", Margin, Header + 30, 16, SKColors.Black);
        }

        ImageShape shape = data.ImageShape;
        using var scope = NewDisposeScope();
        using Tensor positions = tensor(wrong.Select(w => w.Index).ToArray());
        byte[] pixels = wrong.Count == 0 ? [] : data.Images.index_select(0, positions)[.., 0].contiguous().data<byte>().ToArray();
        float[] probabilities = predictions.Probabilities.contiguous().data<float>().ToArray();
        long[] order = predictions.Indices.data<long>().ToArray();
        var rowOf = new Dictionary<long, int>(order.Length);
        for (int i = 0; i < order.Length; i++) rowOf[order[i]] = i;

        for (int k = 0; k < wrong.Count; k++)
        {
            TopLoss sample = wrong[k];
            float x = Margin + k % columns * CellWidth, y = Header + k / columns * CellHeight;
            string caption = $"{predictions.ClassNames[sample.Predicted]} {sample.PredictedProbability * 100:F0}% ({predictions.ClassNames[sample.Actual]})";
            sketch.Text(caption, x, y + 16, 14, SKColors.Black, bold: true);
            int size = shape.Height * shape.Width;
            sketch.Grey(pixels[(k * size)..((k + 1) * size)], shape.Width, shape.Height, new SKRect(x, y + 26, x + ImageSide, y + 26 + ImageSide));

            // Bar chart of the class probabilities; its scale label sits in the gap between the image and the bars.
            float chartLeft = x + ImageSide + 34, chartRight = x + CellWidth - 14, chartTop = y + 30, chartBottom = y + 26 + ImageSide;
            float barWidth = (chartRight - chartLeft) / classes;
            sketch.Line(chartLeft, chartBottom, chartRight, chartBottom, SKColors.Gray);
            int row = rowOf[sample.Index];
            for (int c = 0; c < classes; c++)
            {
                float p = probabilities[row * classes + c];
                SKColor color = c == sample.Predicted ? SKColors.IndianRed : c == sample.Actual ? SKColors.SeaGreen : SKColors.SteelBlue;
                float left = chartLeft + c * barWidth + 2;
                sketch.Box(new SKRect(left, chartBottom - p * (chartBottom - chartTop), left + barWidth - 4, chartBottom), color);
                sketch.Text(c.ToString(CultureInfo.InvariantCulture), left + (barWidth - 4) / 2, chartBottom + 14, 11, SKColors.DimGray, SKTextAlign.Center);
            }
            sketch.Text("1.0", chartLeft - 2, chartTop + 4, 10, SKColors.Gray, SKTextAlign.Right);
        }
        sketch.SavePng(path);
    }
}
