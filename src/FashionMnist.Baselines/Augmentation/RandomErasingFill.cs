namespace FashionMnist.Baselines.Augmentation;

/// <summary>What Random Erasing paints into the rectangle.</summary>
public enum RandomErasingFill
{
    /// <summary>One constant per channel (the reference uses 0.4914 for Fashion-MNIST, in normalised units).</summary>
    Constant,

    /// <summary>Independent uniform random values per pixel, in [<c>RandomLow</c>, <c>RandomHigh</c>).</summary>
    Random,

    /// <summary>Zeros.</summary>
    Zeros,
}
