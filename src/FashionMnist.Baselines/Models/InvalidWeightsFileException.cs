namespace FashionMnist.Baselines.Models;

/// <summary>A file is not a TorchSharp weights file (or is truncated).</summary>
public sealed class InvalidWeightsFileException(string filePath, string problem, Exception? innerException = null)
    : IOException($"{filePath} is not a TorchSharp weights file ({problem}).", innerException)
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = filePath;
}
