using System.Globalization;
using System.Numerics;
using System.Text;

namespace FashionMnist.Baselines.Metrics;

/// <summary>
/// Formats <see cref="ClassificationMetrics"/> exactly as scikit-learn's <c>classification_report</c> (1.2, with
/// <c>labels</c> set to every class and <c>target_names</c> to the class names), so that the text can be diffed
/// against Python's.
/// </summary>
public static class ClassificationReport
{
    /// <summary>The report text, with <paramref name="digits"/> decimals.</summary>
    public static string Format(ClassificationMetrics metrics, int digits = 2)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (digits < 0) throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits must be 0 or more.");
        IReadOnlyList<string> names = metrics.Matrix.ClassNames;
        const string lastHeading = "weighted avg";
        int width = Math.Max(Math.Max(names.Max(n => n.Length), lastHeading.Length), digits);

        var report = new StringBuilder();
        report.Append(' ', width).Append(' ');
        foreach (string header in new[] { "precision", "recall", "f1-score", "support" }) report.Append(' ').Append(header.PadLeft(9));
        report.Append("\n\n");
        for (int c = 0; c < names.Count; c++) Row(report, names[c], metrics.PerClass[c], width, digits);
        report.Append('\n');

        // scikit-learn prints "accuracy" only when every listed label occurs in the truth or the predictions;
        // otherwise "micro avg" (which in single-label classification equals the accuracy in all three columns).
        long[] support = metrics.Matrix.Support(), predicted = metrics.Matrix.PredictedCounts();
        bool everyLabelOccurs = Enumerable.Range(0, names.Count).All(c => support[c] + predicted[c] > 0);
        long total = support.Sum();
        if (everyLabelOccurs)
        {
            report.Append("accuracy".PadLeft(width)).Append(' ')
                .Append(' ').Append(new string(' ', 9)).Append(' ').Append(new string(' ', 9))
                .Append(' ').Append(Number(metrics.Accuracy, digits).PadLeft(9))
                .Append(' ').Append(total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        }
        else
        {
            double micro = metrics.Accuracy;
            Row(report, "micro avg", new ClassScores(micro, micro, micro, total), width, digits);
        }
        Row(report, "macro avg", metrics.MacroAverage, width, digits);
        Row(report, lastHeading, metrics.WeightedAverage, width, digits);
        return report.ToString();
    }

    static void Row(StringBuilder report, string heading, ClassScores scores, int width, int digits)
    {
        report.Append(heading.PadLeft(width)).Append(' ');
        foreach (double value in new[] { scores.Precision, scores.Recall, scores.F1 }) report.Append(' ').Append(Number(value, digits).PadLeft(9));
        report.Append(' ').Append(scores.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }

    /// <summary>
    /// Python's <c>f"{value:.{digits}f}"</c>: the double's exact binary value rounded to <paramref name="digits"/>
    /// decimals, half to even only on exact ties. <c>Math.Round</c> is not that: it multiplies by 10^digits first, and
    /// the product is itself rounded, so 0.905 (in binary a little above 0.905) becomes 90.5 and then 90, where Python
    /// prints 0.91. Recalls of k/1000, as on the 1,000 test images per class, hit this 46 times in 1,001.
    /// </summary>
    internal static string Number(double value, int digits)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);

        // value = mantissa * 2^exponent exactly; scale by 10^digits in integers and round the binary fraction away.
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biasedExponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFF;
        BigInteger mantissa = biasedExponent == 0 ? fraction : fraction | (1L << 52);
        int exponent = Math.Max(biasedExponent, 1) - 1075;
        BigInteger scaled = mantissa * BigInteger.Pow(10, digits);
        BigInteger units;
        if (exponent >= 0)
        {
            units = scaled << exponent;
        }
        else
        {
            units = scaled >> -exponent;
            BigInteger remainder = scaled - (units << -exponent);
            BigInteger half = BigInteger.One << (-exponent - 1);
            if (remainder > half || (remainder == half && !units.IsEven)) units += 1;
        }

        string text = units.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        string number = digits == 0 ? text : $"{text[..^digits]}.{text[^digits..]}";
        return bits < 0 ? "-" + number : number;
    }
}
