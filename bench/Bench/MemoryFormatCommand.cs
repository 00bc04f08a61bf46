using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Runtime;
using static FashionMnist.Baselines.Bench.BenchStatistics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench memory-format</c>: TorchSharp 0.107 has no memory_format argument, but LibTorch picks its convolution
/// kernels from the strides, and ChannelsLastLayout.Of gives a tensor the exact channels-last strides. This compares
/// one SGD step of batch 128 with NCHW tensors, with a channels-last input batch only (the convolutions then produce
/// channels-last activations, except after MobileNet 56x56's grey-to-3-channel expand), and with channels-last input
/// and 4-D weights (as ChannelsLastLayout.Apply sets them); same initial weights, same batch, alternating.
/// </summary>
internal static class MemoryFormatCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        IEnumerable<string> names = options.Positional.Count > 0 ? options.Positional : ["cnn", "resnet-20", "mobilenet-28", "wrn-16-4"];
        int rounds = options.Int("rounds") ?? 3;
        using Tensor indices = arange(128);
        using Batch batch = full.GetBatch(indices, CPU);
        using Tensor channelsLastImages = ChannelsLastLayout.Of(batch.Images);
        foreach (string name in names)
        {
            IModelFactory factory = ModelRegistry.Resolve(name);
            var variants = new[] { "nchw", "input_cl", "input_weights_cl" }.Select(variant =>
            {
                manual_seed(0);
                Module<Tensor, Tensor> model = factory.Create(full.ImageShape, 10);
                model.train();
                if (variant == "input_weights_cl") ChannelsLastLayout.Apply(model); // as TrainerOptions.ChannelsLast does
                return (Name: variant, Model: model, Optimizer: optim.SGD(model.parameters(), 0.01, 0.9), Images: variant == "nchw" ? batch.Images : channelsLastImages);
            }).ToArray();
            float Step((string Name, Module<Tensor, Tensor> Model, optim.Optimizer Optimizer, Tensor Images) v)
            {
                using var s = NewDisposeScope();
                v.Optimizer.zero_grad();
                Tensor loss = functional.cross_entropy(v.Model.call(v.Images), batch.Labels);
                loss.backward();
                v.Optimizer.step();
                return loss.item<float>();
            }
            // The first steps must agree (the same arithmetic in another order), or the comparison means nothing; the
            // same seed gives models with dropout the same masks where the layout does not change the drawing order.
            float[] firstLoss = variants.Select(v => { manual_seed(1); return Step(v); }).ToArray();
            var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                foreach (var v in variants)
                {
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < 5; i++) Step(v);
                    times[v.Name].Add(clock.Elapsed.TotalMilliseconds / 5);
                }
            }
            // Channels-last weights have stride 1 along the input channels (where there is more than one).
            bool weightsStayChannelsLast = variants[2].Model.parameters().Where(p => p.dim() == 4 && p.shape[1] > 1).All(p => p.stride()[1] == 1);
            double nchw = Median(times["nchw"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT memory-format model={name} nchw_ms={nchw:F1} input_cl_ms={Median(times["input_cl"]):F1} input_weights_cl_ms={Median(times["input_weights_cl"]):F1} " +
                $"speedup_input={nchw / Median(times["input_cl"]):F2} speedup_both={nchw / Median(times["input_weights_cl"]):F2} " +
                $"first_losses={string.Join('/', firstLoss.Select(l => l.ToString("F5", CultureInfo.InvariantCulture)))} weights_stay_channels_last={weightsStayChannelsLast}"));
            foreach (var v in variants)
            {
                v.Optimizer.Dispose();
                v.Model.Dispose();
            }
        }
    }
}
