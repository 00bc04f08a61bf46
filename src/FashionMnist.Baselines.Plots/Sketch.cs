using System.Runtime.InteropServices;
using SkiaSharp;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Plots;

/// <summary>A white canvas for image grids (ScottPlot's own renderer, SkiaSharp), with the few drawing steps the grids need.</summary>
internal sealed class Sketch : IDisposable
{
    readonly SKBitmap _bitmap;
    readonly SKTypeface _typeface;

    public Sketch(int width, int height)
    {
        _bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        Canvas = new SKCanvas(_bitmap);
        Canvas.Clear(SKColors.White);
        // ScottPlot resolves a font that exists on this system (it ships fallbacks for headless machines).
        _typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false);
    }

    public SKCanvas Canvas { get; }

    /// <summary>Draws a grey image (row-major bytes, 0 = black) scaled into <paramref name="target"/> with square pixels.</summary>
    public void Grey(byte[] pixels, int width, int height, SKRect target)
    {
        using var image = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        IntPtr destination = image.GetPixels();
        for (int row = 0; row < height; row++)
        {
            Marshal.Copy(pixels, row * width, destination + row * image.RowBytes, width);
        }
        using SKImage snapshot = SKImage.FromBitmap(image);
        Canvas.DrawImage(snapshot, target, new SKSamplingOptions(SKFilterMode.Nearest));
        using var frame = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        Canvas.DrawRect(target, frame);
    }

    public void Text(string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left, bool bold = false)
    {
        using var font = new SKFont(bold ? ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: true, italic: false) : _typeface, size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        Canvas.DrawText(text, x, y, align, font, paint);
    }

    public void Box(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
        Canvas.DrawRect(rect, paint);
    }

    public void Line(float x0, float y0, float x1, float y1, SKColor color)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = 1, IsAntialias = true };
        Canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>Writes the picture as PNG to <paramref name="path"/>, through a temporary file.</summary>
    public void SavePng(string path) => AtomicFile.Write(path, temporary =>
    {
        using SKImage image = SKImage.FromBitmap(_bitmap);
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(temporary);
        data.SaveTo(file);
    });

    public void Dispose()
    {
        Canvas.Dispose();
        _bitmap.Dispose();
    }
}
