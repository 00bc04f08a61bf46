using TorchSharp;
using FashionMnist.Baselines.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Imaging;

/// <summary>
/// Reads an image file as Fashion-MNIST's images were made (Xiao et al. 2017: trimmed photos, longest edge resized to
/// 28, centred, intensities negated, 8-bit grey): decoded by SkiaSharp (PNG, JPEG, BMP, GIF, WebP), transparency
/// composited onto white, fitted into the model's H x W keeping the aspect ratio and centred (the margin filled with
/// the background's colour), converted to grey (ITU-R BT.601 luma, as PIL's "L"), and inverted when the background
/// is light (<see cref="BackgroundInversion"/>), so that the garment is light on black.
/// </summary>
public static class ImageFile
{
    /// <summary>The grey pixels of <paramref name="path"/>, row by row, <c>shape.Height * shape.Width</c> bytes.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidImageFileException">The file is empty or not a decodable image.</exception>
    public static byte[] Read(string path, ImageShape shape, BackgroundInversion inversion = BackgroundInversion.WhenLight)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (shape.Channels != 1) throw new ArgumentException($"Image files are read as grey images; the model takes {shape}.", nameof(shape));
        if (!File.Exists(path)) throw new FileNotFoundException($"The image file {path} does not exist.", path);
        byte[] encoded = File.ReadAllBytes(path);
        if (encoded.Length == 0) throw new InvalidImageFileException(path, "the file is empty");
        using SKData data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        using SKBitmap? decoded = codec is null ? null : SKBitmap.Decode(codec);
        if (decoded is null || decoded.Width == 0 || decoded.Height == 0)
        {
            throw new InvalidImageFileException(path, "it is not an image SkiaSharp can decode (PNG, JPEG, BMP, GIF, WebP)");
        }
        // Upright as the camera's EXIF orientation says (phone photos are often stored sideways), on white.
        (int uprightWidth, int uprightHeight, SKMatrix upright) = Upright(codec!.EncodedOrigin, decoded.Width, decoded.Height);
        using SKBitmap opaque = Draw(uprightWidth, uprightHeight, SKColors.White, canvas =>
        {
            canvas.SetMatrix(upright);
            canvas.DrawBitmap(decoded, 0, 0);
        });
        bool light = BorderMean(opaque) > 127;
        bool invert = inversion switch
        {
            BackgroundInversion.WhenLight => light,
            BackgroundInversion.Always => true,
            BackgroundInversion.Never => false,
            _ => throw new ArgumentOutOfRangeException(nameof(inversion), inversion, "Unknown inversion rule."),
        };
        double scale = Math.Min((double)shape.Width / opaque.Width, (double)shape.Height / opaque.Height);
        int width = Math.Clamp((int)Math.Round(opaque.Width * scale), 1, shape.Width);
        int height = Math.Clamp((int)Math.Round(opaque.Height * scale), 1, shape.Height);
        var target = SKRect.Create((shape.Width - width) / 2, (shape.Height - height) / 2, width, height);
        using SKImage source = SKImage.FromBitmap(opaque);
        // Mipmaps average the pixels a large photo loses; an image of the model's size is copied as it is.
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        using SKBitmap fitted = Draw(shape.Width, shape.Height, light ? SKColors.White : SKColors.Black,
            canvas => canvas.DrawImage(source, target, sampling));
        using DisposeScope scope = NewDisposeScope();
        Tensor grey = Grey(fitted);
        Tensor result = invert ? 255 - grey : grey;
        return result.to_type(ScalarType.Byte).data<byte>().ToArray();
    }

    /// <summary>
    /// The size and transform that draw a <paramref name="width"/> x <paramref name="height"/> image stored with EXIF
    /// orientation <paramref name="origin"/> upright: x' = a x + b y + c, y' = d x + e y + f.
    /// </summary>
    internal static (int Width, int Height, SKMatrix Transform) Upright(SKEncodedOrigin origin, int width, int height)
    {
        static SKMatrix M(float a, float b, float c, float d, float e, float f) => new(a, b, c, d, e, f, 0, 0, 1);
        return origin switch
        {
            SKEncodedOrigin.TopRight => (width, height, M(-1, 0, width, 0, 1, 0)),          // mirrored left-right
            SKEncodedOrigin.BottomRight => (width, height, M(-1, 0, width, 0, -1, height)), // turned 180 degrees
            SKEncodedOrigin.BottomLeft => (width, height, M(1, 0, 0, 0, -1, height)),       // mirrored top-bottom
            SKEncodedOrigin.LeftTop => (height, width, M(0, 1, 0, 1, 0, 0)),                // transposed
            SKEncodedOrigin.RightTop => (height, width, M(0, -1, height, 1, 0, 0)),         // turned 90 degrees clockwise
            SKEncodedOrigin.RightBottom => (height, width, M(0, -1, height, -1, 0, width)), // transversed
            SKEncodedOrigin.LeftBottom => (height, width, M(0, 1, 0, -1, 0, width)),        // turned 90 degrees anticlockwise
            _ => (width, height, SKMatrix.Identity),
        };
    }

    /// <summary>An opaque RGBA bitmap of the given size, cleared to <paramref name="background"/>, drawn on by <paramref name="draw"/>.</summary>
    static SKBitmap Draw(int width, int height, SKColor background, Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(background);
        draw(canvas);
        return bitmap;
    }

    /// <summary>BT.601 luma of an opaque RGBA bitmap, rounded: float32 [H, W] in 0..255.</summary>
    static Tensor Grey(SKBitmap rgba)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor pixels = tensor(rgba.Bytes, [rgba.Height, rgba.Width, 4]).to_type(ScalarType.Float32);
        Tensor luma = pixels[.., .., 0] * 0.299f + pixels[.., .., 1] * 0.587f + pixels[.., .., 2] * 0.114f;
        return luma.round().clamp(0, 255).MoveToOuterDisposeScope();
    }

    /// <summary>The mean grey of the outermost rows and columns: the background, in a photo of one garment.</summary>
    static double BorderMean(SKBitmap rgba)
    {
        using DisposeScope scope = NewDisposeScope();
        // The edges only are made float, so that a 12-megapixel photo costs its bytes, not four floats per pixel.
        Tensor pixels = tensor(rgba.Bytes, [rgba.Height, rgba.Width, 4]);
        Tensor edges = cat([pixels[0], pixels[-1], pixels[.., 0], pixels[.., -1]]).to_type(ScalarType.Float32);
        Tensor luma = edges[.., 0] * 0.299f + edges[.., 1] * 0.587f + edges[.., 2] * 0.114f;
        return luma.round().mean().item<float>();
    }
}
