namespace FashionMnist.Baselines.Models;

/// <summary>
/// A file cannot be used as a model's weights: not a weights file of its kind (TorchSharp, PyTorch, safetensors, ONNX),
/// truncated or damaged, or without what says which model it holds. The message names the file and the problem.
/// </summary>
public sealed class InvalidWeightsFileException(string filePath, string problem, Exception? innerException = null)
    : IOException($"{filePath} cannot be used as model weights: {problem}.", innerException)
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = filePath;
}
