using System.Text.Json;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using Microsoft.ML.OnnxRuntime;

/// <summary>Export a model to ONNX with its preprocessing inside, then classify one image with ONNX Runtime alone.</summary>
public static class ExportAndDeploy
{
    public static string Run(LoadedModel loaded, byte[] image28x28, string path)
    {
        // Export: uint8 pixels in, the model's normalisation inside the graph, the class names in the metadata.
        OnnxExport.Save(loaded.Model, OnnxExportOptions.For(loaded.Card) with { Pixels = OnnxPixelInput.Bytes }, path);

        // Deploy: the file is all ONNX Runtime needs (ML.NET's ApplyOnnxModel too: samples/OnnxInference).
        using var session = new InferenceSession(path);
        using var images = OrtValue.CreateTensorValueFromMemory(image28x28, [1, 1, 28, 28]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, ["images"], [images], ["probabilities"]);
        float[] probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        string[] classNames = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["fashion_mnist_baselines.class_names"])!;
        return classNames[Array.IndexOf(probabilities, probabilities.Max())];
    }
}
