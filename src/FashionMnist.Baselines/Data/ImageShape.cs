namespace FashionMnist.Baselines.Data;

/// <summary>The shape of one image: channels, height and width (the NCHW layout without the batch dimension).</summary>
/// <param name="Channels">Number of channels (1 for grey images).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Number of values in one image.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The shape as a TorchSharp dimension array, with a leading batch dimension of <paramref name="batch"/>.</summary>
    public long[] WithBatch(long batch) => [batch, Channels, Height, Width];

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
