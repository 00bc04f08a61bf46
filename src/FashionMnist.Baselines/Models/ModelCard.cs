using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// What a weights file needs beside it to become a working classifier: the model's name, its input shape, the class
/// names and the normalisation its batches had. <see cref="ModelWeights.Save(TorchSharp.torch.nn.Module, string, ModelCard?)"/>
/// writes it as a small JSON file next to the weights (<see cref="PathFor"/>), and
/// <see cref="ModelWeights.LoadModel"/> reads it, so a weights file of this library describes itself.
/// </summary>
/// <param name="Model">The model name, as <see cref="ModelRegistry"/> resolves it.</param>
/// <param name="Input">The input shape of one image.</param>
/// <param name="ClassNames">The class names in label order.</param>
/// <param name="NormalizationMean">Per-channel means of the normalisation (0 for none).</param>
/// <param name="NormalizationStd">Per-channel standard deviations of the normalisation (1 for none).</param>
public sealed record ModelCard(string Model, ImageShape Input, IReadOnlyList<string> ClassNames, float[] NormalizationMean, float[] NormalizationStd)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The card of <paramref name="model"/> trained on <paramref name="data"/> (its shape, classes and normalisation).</summary>
    public static ModelCard For(string model, IDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ModelCard(model, data.ImageShape, data.ClassNames.ToArray(), data.Normalization.Mean.ToArray(), data.Normalization.Std.ToArray());
    }

    /// <summary>The normalisation the model expects its input to have.</summary>
    public ImageNormalization Normalization => new(NormalizationMean, NormalizationStd);

    /// <summary>Where the card of the weights file <paramref name="weightsPath"/> lives: the same name with <c>.json</c> added.</summary>
    public static string PathFor(string weightsPath) => weightsPath + ".json";

    /// <summary>Writes the card beside <paramref name="weightsPath"/>, atomically.</summary>
    public void WriteFor(string weightsPath) => AtomicFile.WriteAllText(PathFor(weightsPath), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads the card beside <paramref name="weightsPath"/>, or null when it has none (weights saved before cards, or by other code).</summary>
    /// <exception cref="InvalidWeightsFileException">The card exists but is damaged.</exception>
    public static ModelCard? ReadFor(string weightsPath)
    {
        string path = PathFor(weightsPath);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json) ?? throw new JsonException("the file is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidWeightsFileException(path, $"its model card is damaged: {e.Message}", e);
        }
    }
}
