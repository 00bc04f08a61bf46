using System.Globalization;
using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// What an exported file records in its ONNX metadata (<c>metadata_props</c>), so that a deployed model needs nothing of
/// this library: the model, the class names, what the input takes, the normalisation, the library version and, for
/// exports from a run, the test accuracy.
/// </summary>
/// <param name="Model">The model name.</param>
/// <param name="ClassNames">The class names in label order (the logits' order).</param>
/// <param name="Pixels">What the <c>images</c> input takes.</param>
/// <param name="Input">The shape of one image.</param>
/// <param name="Normalization">The normalisation: inside the graph for raw pixels, the caller's job for <see cref="OnnxPixelInput.Normalized"/>.</param>
/// <param name="LibraryVersion">The FashionMnist.Baselines version that exported the file.</param>
/// <param name="TestAccuracy">The test accuracy of the run the weights come from, when exported from one.</param>
public sealed record OnnxModelInfo(
    string Model, IReadOnlyList<string> ClassNames, OnnxPixelInput Pixels, ImageShape Input, ImageNormalization Normalization,
    string LibraryVersion, double? TestAccuracy)
{
    /// <summary>The metadata key prefix.</summary>
    public const string Prefix = "fashion_mnist_baselines.";

    /// <summary>The name of the graph's input.</summary>
    public const string InputName = "images";

    /// <summary>The name of the logits output.</summary>
    public const string LogitsName = "logits";

    /// <summary>The name of the optional probabilities output.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The metadata entries, key and value.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [Prefix + "model"] = Model,
            [Prefix + "class_names"] = JsonSerializer.Serialize(ClassNames),
            [Prefix + "input"] = PixelsName(Pixels),
            [Prefix + "input_shape"] = $"{Input.Channels}x{Input.Height}x{Input.Width}",
            [Prefix + "normalization_mean"] = JsonSerializer.Serialize(Normalization.Mean),
            [Prefix + "normalization_std"] = JsonSerializer.Serialize(Normalization.Std),
            [Prefix + "library_version"] = LibraryVersion,
        };
        if (TestAccuracy is double accuracy) metadata[Prefix + "test_accuracy"] = accuracy.ToString("R", CultureInfo.InvariantCulture);
        return metadata;
    }

    /// <summary>Reads the entries <see cref="ToMetadata"/> wrote.</summary>
    /// <exception cref="InvalidWeightsFileException">An entry is missing or damaged (a file this library did not export, or an edited one).</exception>
    public static OnnxModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string Entry(string key) => metadata.TryGetValue(Prefix + key, out string? value) ? value
            : throw new InvalidWeightsFileException(path, $"its ONNX metadata has no '{Prefix + key}' entry; it was not exported by FashionMnist.Baselines");
        try
        {
            int[] shape = Entry("input_shape").Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (shape.Length != 3) throw new FormatException($"input_shape '{Entry("input_shape")}' is not CxHxW");
            return new OnnxModelInfo(
                Entry("model"),
                JsonSerializer.Deserialize<string[]>(Entry("class_names")) ?? throw new FormatException("class_names is null"),
                ParsePixels(Entry("input")),
                new ImageShape(shape[0], shape[1], shape[2]),
                new ImageNormalization(
                    JsonSerializer.Deserialize<float[]>(Entry("normalization_mean")) ?? throw new FormatException("normalization_mean is null"),
                    JsonSerializer.Deserialize<float[]>(Entry("normalization_std")) ?? throw new FormatException("normalization_std is null")),
                Entry("library_version"),
                metadata.TryGetValue(Prefix + "test_accuracy", out string? accuracy) ? double.Parse(accuracy, CultureInfo.InvariantCulture) : null);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or OverflowException)
        {
            throw new InvalidWeightsFileException(path, $"its ONNX metadata is damaged: {e.Message}", e);
        }
    }

    static string PixelsName(OnnxPixelInput pixels) => pixels switch
    {
        OnnxPixelInput.Normalized => "normalized-float32",
        OnnxPixelInput.Bytes => "uint8-0-255",
        OnnxPixelInput.Float255 => "float32-0-255",
        _ => throw new ArgumentOutOfRangeException(nameof(pixels), pixels, "Unknown pixel input."),
    };

    static OnnxPixelInput ParsePixels(string name) => name switch
    {
        "normalized-float32" => OnnxPixelInput.Normalized,
        "uint8-0-255" => OnnxPixelInput.Bytes,
        "float32-0-255" => OnnxPixelInput.Float255,
        _ => throw new FormatException($"input '{name}' is not one of normalized-float32, uint8-0-255, float32-0-255"),
    };
}
