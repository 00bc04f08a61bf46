using SkiaSharp;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>Writes grey pixels (row by row) as image files with SkiaSharp, for the image-file tests.</summary>
internal static class GreyImageFiles
{
    /// <summary>Writes <paramref name="grey"/> as <paramref name="format"/> (JPEG at quality 95); returns the path.</summary>
    public static string Write(byte[] grey, int width, int height, string path, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using SKImage image = SKImage.FromBitmap(bitmap);
        using SKData encoded = image.Encode(format, 95);
        File.WriteAllBytes(path, encoded.ToArray());
        return path;
    }
}
