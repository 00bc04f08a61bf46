using TorchSharp;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Runtime;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// Exports a model to ONNX (opset 17, IR version 8): input <c>images</c> <c>[batch, C, H, W]</c> with a symbolic batch,
/// outputs <c>logits</c> <c>[batch, classes]</c> and, optionally, <c>probabilities</c>. The model runs in evaluation
/// mode (BatchNorm with its running statistics, dropout removed); its training mode is restored afterwards.
/// Every module is converted before anything is written, and files are written to a temporary name and renamed.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the files (8: what opset 17 came with, so ONNX 1.12 and later read them).</summary>
    public const int IrVersion = 8;

    /// <summary>Builds the ONNX model of <paramref name="model"/>.</summary>
    /// <exception cref="OnnxExportException">A module has no ONNX form.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model (its output for one image is not <c>[1, classes]</c>).</exception>
    public static ModelProto Build(nn.Module<Tensor, Tensor> model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            CheckOutputShape(model, options);
            var graph = new GraphProto { Name = options.ModelName };
            var builder = new OnnxGraphBuilder(options.Converters ?? OnnxConverters.CreateDefault(), graph);
            graph.Input.Add(Value(OnnxModelInfo.InputName, options.Pixels == OnnxPixelInput.Bytes ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Float,
                options.Input.Channels, options.Input.Height, options.Input.Width));
            string x = Preprocessing(builder, options);
            string logits = builder.Convert(model, x);
            builder.NamedNode("Identity", [logits], OnnxModelInfo.LogitsName);
            graph.Output.Add(Value(OnnxModelInfo.LogitsName, TensorProto.Types.DataType.Float, options.ClassNames.Count));
            if (options.Probabilities)
            {
                builder.NamedNode("Softmax", [OnnxModelInfo.LogitsName], OnnxModelInfo.ProbabilitiesName, new Dictionary<string, object> { ["axis"] = -1L });
                graph.Output.Add(Value(OnnxModelInfo.ProbabilitiesName, TensorProto.Types.DataType.Float, options.ClassNames.Count));
            }
            OnnxModelInfo info = Info(options);
            var proto = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "FashionMnist.Baselines",
                ProducerVersion = info.LibraryVersion,
                DocString = $"{options.ModelName} for {options.Input} images and {options.ClassNames.Count} classes; input '{OnnxModelInfo.InputName}': {Describe(options)}.",
                Graph = graph,
            };
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
            foreach ((string key, string value) in info.ToMetadata()) proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            return proto;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>Exports <paramref name="model"/> to the file <paramref name="path"/> (written whole, or not at all).</summary>
    /// <returns>What the file records.</returns>
    /// <exception cref="OnnxExportException">A module has no ONNX form; nothing is written.</exception>
    /// <exception cref="FileWriteException">The file cannot be written (a read-only folder, a full disk); the message names it.</exception>
    public static OnnxModelInfo Save(nn.Module<Tensor, Tensor> model, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Build(model, options).ToByteArray();
        AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, bytes));
        return Info(options);
    }

    /// <summary>Exports <paramref name="model"/> to <paramref name="stream"/>, built whole before the first byte is written.</summary>
    public static OnnxModelInfo Save(nn.Module<Tensor, Tensor> model, OnnxExportOptions options, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(model, options).WriteTo(stream);
        return Info(options);
    }

    /// <summary>
    /// Exports saved weights, or a run folder's best weights, to <paramref name="path"/>. What the weights are comes
    /// from their model card or run folder (<see cref="ModelFiles"/>; <paramref name="model"/> overrides it); an
    /// export from a run folder records the run's test accuracy unless its test predictions were flip-averaged
    /// (then the file's model alone is not what was scored).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such weights file.</exception>
    /// <exception cref="InvalidWeightsFileException">The weights are damaged, or nothing says which model they hold.</exception>
    /// <exception cref="ModelWeightsMismatchException">The weights are of another architecture than the model named.</exception>
    public static OnnxModelInfo SaveWeights(string weightsOrRunFolder, string path, OnnxPixelInput pixels = OnnxPixelInput.Normalized,
        string? model = null, bool probabilities = true)
    {
        using LoadedModel loaded = ModelFiles.Load(weightsOrRunFolder, model);
        OnnxExportOptions options = OnnxExportOptions.For(loaded.Card) with
        {
            Pixels = pixels,
            Probabilities = probabilities,
            TestAccuracy = RunTestAccuracy(ModelFiles.WeightsPath(weightsOrRunFolder), loaded.Card),
        };
        return Save(loaded.Model, options, path);
    }

    /// <summary>The test accuracy of the run whose best weights <paramref name="weights"/> are, or null.</summary>
    static double? RunTestAccuracy(string weights, ModelCard card)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(weights));
        if (folder is null) return null;
        var run = new RunFolder(folder);
        if (Path.GetFullPath(run.BestWeights) != Path.GetFullPath(weights) || !File.Exists(run.RunJson) || !File.Exists(run.BestPredictions)) return null;
        if (run.ReadRecord().FlipAveraged) return null;
        using Predictions predictions = PredictionsCsv.Read(run.BestPredictions, card.ClassNames);
        return predictions.Accuracy;
    }

    static OnnxModelInfo Info(OnnxExportOptions options) => new(
        options.ModelName, options.ClassNames.ToArray(), options.Pixels, options.Input, options.Normalization,
        RunEnvironment.Current().Library, options.TestAccuracy);

    static void CheckOptions(OnnxExportOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ModelName)) throw new ArgumentException("The export needs a model name.", nameof(options));
        if (options.ClassNames is null || options.ClassNames.Count == 0) throw new ArgumentException("The export needs the class names.", nameof(options));
        if (options.Input.Channels < 1 || options.Input.Height < 1 || options.Input.Width < 1)
        {
            throw new ArgumentException($"The input shape {options.Input} is not a valid image shape.", nameof(options));
        }
        int statistics = options.Normalization.Mean.Count;
        if (statistics != 1 && statistics != options.Input.Channels)
        {
            throw new ArgumentException($"The normalisation has statistics for {statistics} channels but the images have {options.Input.Channels}.", nameof(options));
        }
    }

    /// <summary>One zero image through the model, so that a wrong shape or class list fails here, not in a deployed application.</summary>
    static void CheckOutputShape(nn.Module<Tensor, Tensor> model, OnnxExportOptions options)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
        Tensor output = model.call(zeros(options.Input.WithBatch(1), device: device));
        if (output.dim() != 2 || output.shape[0] != 1 || output.shape[1] != options.ClassNames.Count)
        {
            throw new ArgumentException(
                $"The model gives [{string.Join(", ", output.shape)}] for one {options.Input} image; expected [1, {options.ClassNames.Count}] " +
                $"for the {options.ClassNames.Count} class names given.", nameof(options));
        }
    }

    /// <summary>Raw pixels become what the model was trained on, with the library's own operations in its order: /255, -mean, /std.</summary>
    static string Preprocessing(OnnxGraphBuilder builder, OnnxExportOptions options)
    {
        string x = OnnxModelInfo.InputName;
        if (options.Pixels == OnnxPixelInput.Normalized) return x;
        if (options.Pixels == OnnxPixelInput.Bytes)
        {
            x = builder.Node("Cast", [x], new Dictionary<string, object> { ["to"] = (long)TensorProto.Types.DataType.Float });
        }
        x = builder.Node("Div", [x, builder.Constant("pixel_scale", [255f], [])]);
        ImageNormalization normalization = options.Normalization;
        if (normalization.IsIdentity) return x;
        long[] statisticsShape = [1, normalization.Mean.Count, 1, 1];
        x = builder.Node("Sub", [x, builder.Constant("normalization_mean", normalization.Mean.ToArray(), statisticsShape)]);
        return builder.Node("Div", [x, builder.Constant("normalization_std", normalization.Std.ToArray(), statisticsShape)]);
    }

    static string Describe(OnnxExportOptions options) => options.Pixels switch
    {
        OnnxPixelInput.Normalized => $"float32 pixels in [0, 1] normalised with {options.Normalization}",
        OnnxPixelInput.Bytes => "uint8 pixels 0..255 (normalisation inside the graph)",
        _ => "float32 pixels 0..255 (normalisation inside the graph)",
    };

    /// <summary>A float or uint8 value [batch, dims...] with a symbolic batch dimension.</summary>
    static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
