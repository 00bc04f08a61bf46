namespace FashionMnist.Baselines.Training;

/// <summary>Which epoch figure a plateau schedule, early stopping or a best checkpoint watches.</summary>
public enum MonitoredMetric
{
    /// <summary>Validation loss (lower is better).</summary>
    ValidationLoss,
    /// <summary>Validation accuracy (higher is better).</summary>
    ValidationAccuracy,
    /// <summary>Training loss (lower is better); for runs without a validation set.</summary>
    TrainLoss,
}

/// <summary>Direction and improvement tests of a <see cref="MonitoredMetric"/>.</summary>
internal static class MonitoredMetricExtensions
{
    /// <summary>The figure's name in <see cref="EpochRecord.Metrics"/> (one of <see cref="EpochMetrics"/>).</summary>
    public static string MetricName(this MonitoredMetric metric) => metric switch
    {
        MonitoredMetric.ValidationLoss => EpochMetrics.ValidationLoss,
        MonitoredMetric.ValidationAccuracy => EpochMetrics.ValidationAccuracy,
        MonitoredMetric.TrainLoss => EpochMetrics.TrainLoss,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>True for accuracy, false for losses.</summary>
    public static bool HigherIsBetter(this MonitoredMetric metric) => metric == MonitoredMetric.ValidationAccuracy;

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> (null: nothing yet) by more than <paramref name="minDelta"/>.</summary>
    public static bool Improves(this MonitoredMetric metric, double value, double? best, double minDelta = 0) =>
        !double.IsNaN(value) && (best is not double b || (metric.HigherIsBetter() ? value > b + minDelta : value < b - minDelta));
}
