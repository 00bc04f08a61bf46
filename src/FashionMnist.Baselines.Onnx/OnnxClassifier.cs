using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// An exported model run by ONNX Runtime: reads what the file's metadata says about its input, feeds it batches in
/// that form and scores them as the library scores its own models, so <c>fmb evaluate model.onnx</c> prints the same
/// report as for weights. The application brings ONNX Runtime's native package (Microsoft.ML.OnnxRuntime for CPUs).
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    readonly InferenceSession session;
    readonly string[] outputNames = [OnnxModelInfo.LogitsName];

    OnnxClassifier(InferenceSession session, OnnxModelInfo info, string path)
    {
        this.session = session;
        Info = info;
        Path = path;
    }

    /// <summary>What the file records: model, classes, input form, normalisation, version, test accuracy.</summary>
    public OnnxModelInfo Info { get; }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Opens an ONNX file that this library exported.</summary>
    /// <param name="path">The file.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 for its default (one per core).</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidWeightsFileException">The file is not a valid ONNX model, or not one this library exported (no metadata).</exception>
    public static OnnxClassifier Open(string path, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (!File.Exists(path)) throw new FileNotFoundException($"The ONNX file {path} does not exist.", path);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidWeightsFileException(path, $"ONNX Runtime cannot load it: {e.Message}", e);
        }
        try
        {
            OnnxModelInfo info = OnnxModelInfo.FromMetadata(session.ModelMetadata.CustomMetadataMap, path);
            if (!session.OutputMetadata.TryGetValue(OnnxModelInfo.LogitsName, out NodeMetadata? logits) || !session.InputMetadata.ContainsKey(OnnxModelInfo.InputName))
            {
                throw new InvalidWeightsFileException(path, $"it has no '{OnnxModelInfo.InputName}' input or no '{OnnxModelInfo.LogitsName}' output");
            }
            if (logits.Dimensions.Length != 2 || logits.Dimensions[1] != info.ClassNames.Count)
            {
                throw new InvalidWeightsFileException(path,
                    $"its '{OnnxModelInfo.LogitsName}' output has shape [{string.Join(", ", logits.Dimensions)}] but its metadata names {info.ClassNames.Count} classes");
            }
            return new OnnxClassifier(session, info, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The logits <c>[N, classes]</c> (float32, CPU) of raw uint8 images <c>[N, C, H, W]</c> as the data set stores them,
    /// converted to what the file's input takes (<see cref="OnnxModelInfo.Pixels"/>) first.
    /// </summary>
    /// <exception cref="ArgumentException">The images are not uint8 or not of the file's image shape.</exception>
    public Tensor Logits(Tensor rawImages)
    {
        ArgumentNullException.ThrowIfNull(rawImages);
        ImageShape shape = Info.Input;
        if (rawImages.dtype != ScalarType.Byte || rawImages.dim() != 4 || rawImages.shape[1] != shape.Channels
            || rawImages.shape[2] != shape.Height || rawImages.shape[3] != shape.Width)
        {
            throw new ArgumentException(
                $"Expected raw uint8 images [N, {shape.Channels}, {shape.Height}, {shape.Width}]; got {rawImages.dtype} [{string.Join(", ", rawImages.shape)}].",
                nameof(rawImages));
        }
        long count = rawImages.shape[0];
        using DisposeScope scope = NewDisposeScope();
        Tensor cpu = rawImages.cpu().contiguous();
        using OrtValue input = Info.Pixels switch
        {
            OnnxPixelInput.Bytes => OrtValue.CreateTensorValueFromMemory(cpu.data<byte>().ToArray(), cpu.shape),
            OnnxPixelInput.Float255 => OrtValue.CreateTensorValueFromMemory(cpu.to_type(ScalarType.Float32).data<float>().ToArray(), cpu.shape),
            _ => OrtValue.CreateTensorValueFromMemory(Info.Normalization.Apply(cpu).contiguous().data<float>().ToArray(), cpu.shape),
        };
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxModelInfo.InputName], [input], outputNames);
        float[] logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return tensor(logits, [count, Info.ClassNames.Count]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predicts every sample of <paramref name="data"/> (its raw pixels; the file's own preprocessing applies), scored
    /// like <c>Trainer.Predict</c>: softmax probabilities, predicted and true labels, positions.
    /// </summary>
    /// <exception cref="ArgumentException">The data set's image shape or class count differs from the file's.</exception>
    public Predictions Predict(InMemoryDataset data, int batchSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.ImageShape != Info.Input || data.ClassNames.Count != Info.ClassNames.Count)
        {
            throw new ArgumentException(
                $"The file {Path} takes {Info.Input} images of {Info.ClassNames.Count} classes; the data set has {data.ImageShape} images of {data.ClassNames.Count}.",
                nameof(data));
        }
        using DisposeScope scope = NewDisposeScope();
        var batches = new List<Tensor>();
        for (long start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long length = Math.Min(batchSize, data.Count - start);
            batches.Add(Logits(data.Images.narrow(0, start, length)).softmax(1));
        }
        Tensor probabilities = cat(batches, 0);
        Tensor labels = data.Labels.cpu().to_type(ScalarType.Int64);
        Tensor indices = arange(data.Count, dtype: ScalarType.Int64);
        return new Predictions(probabilities, labels, indices, data.ClassNames);
    }

    /// <inheritdoc />
    public void Dispose() => session.Dispose();
}
