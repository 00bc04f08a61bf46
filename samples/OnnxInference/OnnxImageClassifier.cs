using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace OnnxInference;

/// <summary>
/// An exported Fashion-MNIST model in an ML.NET pipeline (<c>ApplyOnnxModel</c>) with a <c>PredictionEngine</c>.
/// The class names and the input convention come from the file's ONNX metadata, so the file is all an application needs.
/// </summary>
internal sealed class OnnxImageClassifier : IDisposable
{
    const string MetadataPrefix = "fashion_mnist_baselines.";

    readonly PredictionEngine<ImageInput, ImageOutput> engine;

    public OnnxImageClassifier(string modelPath)
    {
        // The metadata, read with ONNX Runtime (which ML.NET runs the model with anyway).
        using (var session = new InferenceSession(modelPath))
        {
            Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
            if (!metadata.TryGetValue(MetadataPrefix + "input", out string? input) || input != "float32-0-255")
            {
                throw new ArgumentException(
                    $"{modelPath} takes '{input ?? "unknown"}' input; this sample feeds float pixels 0..255: export with fmb export ... --float-pixels.",
                    nameof(modelPath));
            }
            ClassNames = JsonSerializer.Deserialize<string[]>(metadata[MetadataPrefix + "class_names"])!;
        }
        var ml = new MLContext();
        var pipeline = ml.Transforms.ApplyOnnxModel(
            modelFile: modelPath,
            outputColumnNames: ["probabilities"],
            inputColumnNames: ["images"],
            // The graph's batch dimension is symbolic: ML.NET feeds one image at a time.
            shapeDictionary: new Dictionary<string, int[]> { ["images"] = [1, 1, 28, 28] },
            // Named in full: with fewer named arguments the call matches several overloads.
            gpuDeviceId: null,
            fallbackToCpu: false,
            recursionLimit: 100);
        ITransformer model = pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImageInput>()));
        engine = ml.Model.CreatePredictionEngine<ImageInput, ImageOutput>(model);
    }

    /// <summary>The class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label and probability of one 28x28 grayscale image, pixels 0..255 row by row.</summary>
    public (int Label, float Probability) Classify(byte[] pixels)
    {
        if (pixels.Length != 28 * 28) throw new ArgumentException($"Expected 784 pixels; got {pixels.Length}.", nameof(pixels));
        float[] probabilities = engine.Predict(new ImageInput { Images = Array.ConvertAll(pixels, p => (float)p) }).Probabilities;
        int label = Array.IndexOf(probabilities, probabilities.Max());
        return (label, probabilities[label]);
    }

    public void Dispose() => engine.Dispose();

    sealed class ImageInput
    {
        [ColumnName("images")]
        [VectorType(1, 1, 28, 28)]
        public float[] Images { get; set; } = [];
    }

    sealed class ImageOutput
    {
        [ColumnName("probabilities")]
        [VectorType(10)]
        public float[] Probabilities { get; set; } = [];
    }
}
