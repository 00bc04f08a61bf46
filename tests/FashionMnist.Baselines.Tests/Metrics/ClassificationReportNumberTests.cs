using FashionMnist.Baselines.Metrics;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Metrics;

/// <summary>The report's numbers against Python's <c>f"{value:.{digits}f}"</c> (expected strings printed by Python 3.11).</summary>
public sealed class ClassificationReportNumberTests
{
    [Theory]
    [InlineData(0.905, 2, "0.91")] // a little above 0.905 in binary; scaling by 100 first gives 90.5, then 90
    [InlineData(0.005, 2, "0.01")]
    [InlineData(0.015, 2, "0.01")] // a little below 0.015 in binary
    [InlineData(0.845, 2, "0.84")]
    [InlineData(0.8445, 3, "0.845")]
    [InlineData(0.125, 2, "0.12")] // exact ties: half to even
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(0.9995, 3, "1.000")]
    [InlineData(1e-300, 2, "0.00")]
    [InlineData(5e-324, 3, "0.000")]
    [InlineData(0.1, 20, "0.10000000000000000555")]
    [InlineData(123.456, 1, "123.5")]
    [InlineData(1e22, 2, "10000000000000000000000.00")]
    [InlineData(-0.0, 2, "-0.00")]
    public void Numbers_are_rounded_from_the_exact_binary_value_as_Python_does(double value, int digits, string expected)
    {
        ClassificationReport.Number(value, digits).Should().Be(expected);
    }

    [Fact]
    public void Every_recall_of_a_1000_image_class_prints_as_in_Python()
    {
        // Python's f"{k / 1000:.2f}" for k = 5, 15, ..., 995: the decimal ties, which the binary value of k / 1000
        // breaks one way or the other (Math.Round disagreed with 46 of them). The other values are no ties.
        string[] python = "0.01 0.01 0.03 0.04 0.04 0.06 0.07 0.07 0.09 0.10 0.10 0.12 0.12 0.14 0.14 0.15 0.17 0.17 0.18 0.20 0.20 0.21 0.23 0.23 0.24 0.26 0.27 0.28 0.28 0.29 0.30 0.32 0.33 0.34 0.34 0.35 0.36 0.38 0.39 0.40 0.41 0.41 0.42 0.43 0.45 0.46 0.47 0.47 0.48 0.49 0.51 0.52 0.53 0.54 0.55 0.56 0.56 0.57 0.58 0.59 0.60 0.61 0.62 0.64 0.65 0.66 0.67 0.68 0.69 0.69 0.70 0.71 0.72 0.73 0.74 0.76 0.77 0.78 0.79 0.80 0.81 0.81 0.82 0.83 0.84 0.85 0.86 0.88 0.89 0.90 0.91 0.92 0.93 0.94 0.94 0.95 0.96 0.97 0.98 0.99".Split(' ');
        for (int k = 0; k <= 1000; k++)
        {
            string expected = k % 10 == 5
                ? python[k / 10]
                : Math.Round(k / 1000m, 2).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
            ClassificationReport.Number(k / 1000.0, 2).Should().Be(expected, $"k = {k}");
        }
    }
}
