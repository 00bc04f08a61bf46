using FashionMnist.Baselines.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Plots;

/// <summary>Training images before and after augmentation, in pairs of rows, to check what a pipeline does.</summary>
public static class AugmentedSamplesGrid
{
    const int Side = 84, Gap = 8, Margin = 12, Header = 50;

    /// <summary>
    /// Saves the originals (uint8 <c>[N, 1, H, W]</c>) above their augmented versions (float <c>[N, 1, H, W]</c>
    /// in units normalised with <paramref name="normalization"/>), <paramref name="columns"/> per row.
    /// </summary>
    public static void Save(Tensor originals, Tensor augmented, ImageNormalization normalization, string path, string? title = null, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(augmented);
        ArgumentNullException.ThrowIfNull(normalization);
        int n = (int)originals.shape[0], h = (int)originals.shape[2], w = (int)originals.shape[3];
        if (augmented.shape[0] != n || augmented.shape[2] != h || augmented.shape[3] != w)
        {
            throw new ArgumentException("The augmented images must match the originals in number and size.", nameof(augmented));
        }
        using var scope = NewDisposeScope();
        byte[] before = originals[.., 0].contiguous().cpu().data<byte>().ToArray();
        // Undo the normalisation to show pixels: x * std + mean, in [0, 1], then to bytes.
        Tensor restored = augmented[.., 0].cpu() * normalization.Std[0] + normalization.Mean[0];
        byte[] after = (restored.clamp(0, 1) * 255).round().to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();

        int blocks = (n + columns - 1) / columns;
        int blockHeight = 2 * (Side + Gap) + 20;
        using var sketch = new Sketch(2 * Margin + columns * (Side + Gap), Header + blocks * blockHeight);
        sketch.Text(title ?? "Augmented training samples", Margin, 24, 18, SKColors.Black, bold: true);
        sketch.Text("Each pair of rows: the original above, the augmented training image below.", Margin, 42, 13, SKColors.DimGray);
        int size = h * w;
        for (int i = 0; i < n; i++)
        {
            float x = Margin + i % columns * (Side + Gap), y = Header + i / columns * blockHeight;
            sketch.Grey(before[(i * size)..((i + 1) * size)], w, h, new SKRect(x, y, x + Side, y + Side));
            sketch.Grey(after[(i * size)..((i + 1) * size)], w, h, new SKRect(x, y + Side + Gap, x + Side, y + 2 * Side + Gap));
        }
        sketch.SavePng(path);
    }
}
