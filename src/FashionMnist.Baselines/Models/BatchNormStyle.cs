namespace FashionMnist.Baselines.Models;

/// <summary>Which framework's BatchNorm defaults a model uses.</summary>
public enum BatchNormStyle
{
    /// <summary>Keras: moving average momentum 0.99 (0.01 in PyTorch terms), epsilon 1e-3. The seed CNN's setting.</summary>
    Keras,

    /// <summary>PyTorch: momentum 0.1, epsilon 1e-5.</summary>
    PyTorch,
}

internal static class BatchNormStyleExtensions
{
    /// <summary>The (momentum, eps) pair in PyTorch terms.</summary>
    public static (double Momentum, double Eps) Settings(this BatchNormStyle style) => style switch
    {
        BatchNormStyle.Keras => (0.01, 1e-3),
        BatchNormStyle.PyTorch => (0.1, 1e-5),
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown BatchNorm style."),
    };
}
