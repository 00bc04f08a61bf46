namespace FashionMnist.Baselines.Bench;

/// <summary>Summaries of repeated measurements.</summary>
internal static class BenchStatistics
{
    /// <summary>The middle value (the upper one of the two middle values for an even count): one slow round does not move it.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
