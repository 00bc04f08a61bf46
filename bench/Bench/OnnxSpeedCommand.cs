using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using Microsoft.ML.OnnxRuntime;
using static FashionMnist.Baselines.Bench.BenchStatistics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench onnx-speed [model ...] [--rounds N]</c>: inference images per second of an exported model in ONNX Runtime
/// (CPU, 2 intra-op threads, default graph optimisations) against the same model in TorchSharp's evaluation mode under
/// no_grad (2 threads), at batch 1 and 256, on the same normalised training images prepared beforehand (preprocessing
/// is not timed). Rounds alternate the two engines; each round runs for at least 1.5 s. The models get random
/// BatchNorm statistics (as the export tests do), and the largest logit difference to TorchSharp is printed for ONNX
/// Runtime with its default graph optimisations (which fold BatchNormalization into the preceding Conv) and with none
/// (BatchNormalization computed as written), which is how the BatchNorm folding was measured.
/// </summary>
internal static class OnnxSpeedCommand
{
    public static void Run(BenchArguments options)
    {
        set_num_threads(2);
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        IEnumerable<string> names = options.Positional.Count > 0 ? options.Positional : ["cnn", "resnet-20", "mobilenet-28", "wrn-16-4"];
        int rounds = options.Int("rounds") ?? 5;
        string folder = Directory.CreateTempSubdirectory("fmb-onnx-speed-").FullName;
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        foreach (string name in names)
        {
            manual_seed(0);
            using Module<Tensor, Tensor> model = ModelRegistry.Resolve(name).Create(full.ImageShape, 10);
            RandomizeBatchNorm(model);
            model.eval();
            string path = Path.Combine(folder, name + ".onnx");
            OnnxExport.Save(model, new OnnxExportOptions(name, full.ImageShape, full.ClassNames, full.Normalization) { Probabilities = false }, path);
            using var session = new InferenceSession(path, sessionOptions);
            using var unoptimizedOptions = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var unoptimized = new InferenceSession(path, unoptimizedOptions);
            foreach (int batchSize in new[] { 1, 256 })
            {
                using Tensor indices = arange(batchSize);
                using Batch batch = full.GetBatch(indices, CPU);
                float[] data = batch.Images.contiguous().data<float>().ToArray();
                using OrtValue input = OrtValue.CreateTensorValueFromMemory(data, batch.Images.shape);
                using var runOptions = new RunOptions();
                float[] Logits(InferenceSession s)
                {
                    using IDisposableReadOnlyCollection<OrtValue> outputs = s.Run(runOptions, [OnnxModelInfo.InputName], [input], [OnnxModelInfo.LogitsName]);
                    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
                }
                float[] OnnxLogits() => Logits(session);
                float[] TorchLogits()
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    return model.call(batch.Images).data<float>().ToArray();
                }
                float[] reference = TorchLogits();
                double difference = OnnxLogits().Zip(reference, (a, b) => Math.Abs(a - b)).Max();
                double unoptimizedDifference = Logits(unoptimized).Zip(reference, (a, b) => Math.Abs(a - b)).Max();
                double largest = reference.Max(Math.Abs);
                var onnx = new List<double>();
                var torch = new List<double>();
                for (int round = 0; round < rounds; round++)
                {
                    onnx.Add(ImagesPerSecond(() => OnnxLogits(), batchSize));
                    torch.Add(ImagesPerSecond(() => TorchLogits(), batchSize));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT onnx-speed model={name} batch={batchSize} onnxruntime_img_s={Median(onnx):F0} torchsharp_img_s={Median(torch):F0} " +
                    $"ratio={Median(onnx) / Median(torch):F2} max_logit_difference={difference:E1} unoptimized={unoptimizedDifference:E1} largest_logit={largest:F2}"));
            }
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Random BatchNorm statistics and affine parameters (scales below 1, as in the export tests).</summary>
    static void RandomizeBatchNorm(Module<Tensor, Tensor> model)
    {
        using var noGrad = no_grad();
        foreach ((_, Module module) in model.named_modules())
        {
            if (module is not TorchSharp.Modules.BatchNorm bn) continue;
            bn.running_mean!.copy_(randn(bn.num_features) * 0.2);
            bn.running_var!.copy_(rand(bn.num_features) + 0.5);
            bn.weight!.copy_(rand(bn.num_features) * 0.4 + 0.1);
            bn.bias!.copy_(randn(bn.num_features) * 0.1);
        }
    }

    /// <summary>Calls <paramref name="infer"/> for at least 1.5 s (after one warm-up call); returns images per second.</summary>
    static double ImagesPerSecond(Action infer, int batchSize)
    {
        infer();
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalSeconds < 1.5)
        {
            infer();
            calls++;
        }
        return calls * batchSize / clock.Elapsed.TotalSeconds;
    }
}
