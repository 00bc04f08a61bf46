using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Onnx;

/// <summary>What an exported ONNX file takes, gives and records about the model.</summary>
/// <param name="ModelName">The model's name (as <see cref="ModelRegistry"/> knows it, or your own), recorded in the metadata.</param>
/// <param name="Input">The shape of one image; the batch dimension of the graph is symbolic.</param>
/// <param name="ClassNames">The class names in label order, recorded in the metadata.</param>
/// <param name="Normalization">The normalisation the model was trained with: folded into the graph, or recorded for the caller.</param>
public sealed record OnnxExportOptions(string ModelName, ImageShape Input, IReadOnlyList<string> ClassNames, ImageNormalization Normalization)
{
    /// <summary>What the <c>images</c> input takes (normalised floats by default; raw pixels fold the preprocessing into the graph).</summary>
    public OnnxPixelInput Pixels { get; init; } = OnnxPixelInput.Normalized;

    /// <summary>Whether the graph also outputs <c>probabilities</c> (softmax of <c>logits</c>). True by default.</summary>
    public bool Probabilities { get; init; } = true;

    /// <summary>The model's honest test accuracy, recorded in the metadata when known (exports from a run folder).</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The converters that state each module's ONNX form; null for <see cref="OnnxConverters.CreateDefault"/>.</summary>
    public OnnxConverters? Converters { get; init; }

    /// <summary>The options for the model a <see cref="ModelCard"/> describes.</summary>
    public static OnnxExportOptions For(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new OnnxExportOptions(card.Model, card.Input, card.ClassNames, card.Normalization);
    }
}
