namespace FashionMnist.Baselines.Imaging;

/// <summary>A file cannot be classified: it is empty, or not an image that can be decoded (PNG, JPEG, BMP, GIF, WebP).</summary>
public sealed class InvalidImageFileException(string filePath, string problem)
    : IOException($"{filePath} cannot be classified: {problem}.")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = filePath;
}
