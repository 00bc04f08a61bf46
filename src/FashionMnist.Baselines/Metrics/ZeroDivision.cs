namespace FashionMnist.Baselines.Metrics;

/// <summary>What a metric is when its denominator is zero (scikit-learn's <c>zero_division</c>; "warn" behaves as 0).</summary>
public enum ZeroDivision
{
    /// <summary>0, scikit-learn's default ("warn").</summary>
    Zero,

    /// <summary>1.</summary>
    One,
}
