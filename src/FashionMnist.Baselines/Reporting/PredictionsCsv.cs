using System.Globalization;
using System.Text;
using FashionMnist.Baselines.Metrics;
using static TorchSharp.torch;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// Predictions as CSV: <c>index,true_label,predicted_label,p0,...,p9</c>, one row per sample. Reading it back gives
/// the same <see cref="Predictions"/>, so reports can be rebuilt without the model.
/// </summary>
public static class PredictionsCsv
{
    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> (atomically).</summary>
    public static void Write(Predictions predictions, string path)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int classes = predictions.ClassNames.Count;
        var csv = new StringBuilder("index,true_label,predicted_label");
        for (int c = 0; c < classes; c++) csv.Append(",p").Append(c);
        csv.Append('\n');
        long[] index = predictions.Indices.data<long>().ToArray();
        long[] actual = predictions.Actual.data<long>().ToArray();
        long[] predicted = predictions.Predicted.data<long>().ToArray();
        float[] p;
        using (Tensor contiguous = predictions.Probabilities.contiguous()) p = contiguous.data<float>().ToArray();
        for (int i = 0; i < index.Length; i++)
        {
            csv.Append(index[i]).Append(',').Append(actual[i]).Append(',').Append(predicted[i]);
            for (int c = 0; c < classes; c++) csv.Append(',').Append(p[i * classes + c].ToString("R", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        AtomicFile.WriteAllText(path, csv.ToString());
    }

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">A row is malformed; the message names the file and line.</exception>
    public static Predictions Read(string path, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        string[] lines = File.ReadAllLines(path);
        int classes = classNames.Count;
        if (lines.Length == 0 || lines[0].Split(',').Length != 3 + classes)
        {
            throw new InvalidDataException($"{path}: expected a header 'index,true_label,predicted_label,p0..p{classes - 1}'.");
        }
        int n = lines.Length - 1;
        var index = new long[n];
        var actual = new long[n];
        var probabilities = new float[n * classes];
        for (int i = 0; i < n; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            try
            {
                if (cells.Length != 3 + classes) throw new FormatException($"{cells.Length} cells instead of {3 + classes}");
                index[i] = long.Parse(cells[0], CultureInfo.InvariantCulture);
                actual[i] = long.Parse(cells[1], CultureInfo.InvariantCulture);
                long predicted = long.Parse(cells[2], CultureInfo.InvariantCulture);
                if (actual[i] < 0 || actual[i] >= classes || predicted < 0 || predicted >= classes)
                {
                    throw new FormatException($"labels must lie in 0..{classes - 1}");
                }
                int best = 0;
                for (int c = 0; c < classes; c++)
                {
                    float p = float.Parse(cells[3 + c], CultureInfo.InvariantCulture);
                    if (!float.IsFinite(p) || p < 0 || p > 1) throw new FormatException($"probability p{c} = {cells[3 + c]} is not in [0, 1]");
                    probabilities[i * classes + c] = p;
                    if (p > probabilities[i * classes + best]) best = c;
                }
                if (best != predicted && probabilities[i * classes + best] != probabilities[i * classes + predicted])
                {
                    throw new FormatException($"predicted_label {predicted} is not the most probable class ({best})");
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new InvalidDataException($"{path}, line {i + 2}: {e.Message}", e);
            }
        }
        return new Predictions(tensor(probabilities, [n, classes]), tensor(actual), tensor(index), classNames);
    }
}
