namespace FashionMnist.Baselines.Models;

/// <summary>A weights file does not fit the model it is loaded into.</summary>
public sealed class ModelWeightsMismatchException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> and the first mismatching <paramref name="parameter"/>.</summary>
    public ModelWeightsMismatchException(string filePath, string parameter, string problem)
        : base($"{filePath} does not fit this model: {parameter}: {problem}")
    {
        FilePath = filePath;
        Parameter = parameter;
    }

    /// <summary>The weights file.</summary>
    public string FilePath { get; }

    /// <summary>The first parameter or buffer that does not match.</summary>
    public string Parameter { get; }
}
