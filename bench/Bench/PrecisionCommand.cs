using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Runtime;
using static FashionMnist.Baselines.Bench.BenchStatistics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench precision</c>: where BatchNorm lives in bfloat16 training. One SGD step of batch 128, channels-last (or
/// NCHW with --nchw), in float32 against bfloat16 compute with float32 master weights, BatchNorm kept in float32
/// ("bf16_bnfp32", what <c>Precision.BFloat16</c> does) or cast too ("bf16_all": bfloat16 running statistics);
/// alternating rounds. It casts every layer but BatchNorm, so its MobileNet figures include the depthwise
/// convolutions that <c>BFloat16Compute.KeptInFloat32</c> keeps in float32 in Fit.
/// </summary>
internal static class PrecisionCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        IEnumerable<string> names = options.Positional.Count > 0 ? options.Positional : ["resnet-20", "wrn-16-4"];
        int rounds = options.Int("rounds") ?? 3;
        bool channelsLast = !options.Has("nchw");
        using Tensor indices = arange(128);
        using Batch batch = full.GetBatch(indices, CPU);
        using Tensor images = channelsLast ? ChannelsLastLayout.Of(batch.Images) : batch.Images.alias();
        using Tensor imagesBf16 = channelsLast ? ChannelsLastLayout.Of(batch.Images.to(ScalarType.BFloat16)) : batch.Images.to(ScalarType.BFloat16);
        foreach (string name in names)
        {
            IModelFactory factory = ModelRegistry.Resolve(name);
            manual_seed(0);
            Module<Tensor, Tensor> master = factory.Create(full.ImageShape, 10);
            master.train();
            if (channelsLast) ChannelsLastLayout.Apply(master);
            var optimizer = optim.SGD(master.parameters(), 0.01, 0.9);
            Parameter[] masterParameters = [.. master.parameters()];

            (Module<Tensor, Tensor> Model, Parameter[] Parameters) Work(bool batchNormToo)
            {
                manual_seed(0);
                Module<Tensor, Tensor> work = factory.Create(full.ImageShape, 10);
                work.load_state_dict(master.state_dict());
                foreach ((string _, Module m) in work.named_modules())
                {
                    if (m is TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm1d && !batchNormToo) continue;
                    if (!m.children().Any()) m.to(ScalarType.BFloat16);
                }
                work.train();
                if (channelsLast) ChannelsLastLayout.Apply(work);
                return (work, [.. work.parameters()]);
            }
            (Module<Tensor, Tensor> Model, Parameter[] Parameters) bnFp32 = Work(false);
            (Module<Tensor, Tensor> Model, Parameter[] Parameters) all = Work(true);

            float StepFp32()
            {
                using var s = NewDisposeScope();
                optimizer.zero_grad();
                Tensor loss = functional.cross_entropy(master.call(images), batch.Labels);
                loss.backward();
                optimizer.step();
                return loss.item<float>();
            }
            float StepBf16((Module<Tensor, Tensor> Model, Parameter[] Parameters) work)
            {
                using var s = NewDisposeScope();
                foreach (Parameter p in work.Parameters) p.grad = null;
                Tensor loss = functional.cross_entropy(work.Model.call(imagesBf16).to(ScalarType.Float32), batch.Labels);
                loss.backward();
                using (no_grad())
                {
                    for (int i = 0; i < masterParameters.Length; i++) masterParameters[i].grad = work.Parameters[i].grad!.to(ScalarType.Float32);
                    optimizer.step();
                    for (int i = 0; i < masterParameters.Length; i++) work.Parameters[i].copy_(masterParameters[i]);
                }
                return loss.item<float>();
            }
            string first = string.Join('/', new[] { StepFp32(), StepBf16(bnFp32), StepBf16(all) }.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)));
            var times = new Dictionary<string, List<double>> { ["fp32"] = [], ["bf16_bnfp32"] = [], ["bf16_all"] = [] };
            for (int round = 0; round < rounds; round++)
            {
                foreach ((string variant, Func<float> step) in new (string, Func<float>)[] { ("fp32", StepFp32), ("bf16_bnfp32", () => StepBf16(bnFp32)), ("bf16_all", () => StepBf16(all)) })
                {
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < 5; i++) step();
                    times[variant].Add(clock.Elapsed.TotalMilliseconds / 5);
                }
            }
            double fp32 = Median(times["fp32"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT precision model={name} layout={(channelsLast ? "cl" : "nchw")} fp32_ms={fp32:F1} bf16_bnfp32_ms={Median(times["bf16_bnfp32"]):F1} bf16_all_ms={Median(times["bf16_all"]):F1} " +
                $"speedup_bnfp32={fp32 / Median(times["bf16_bnfp32"]):F2} speedup_all={fp32 / Median(times["bf16_all"]):F2} first_losses={first}"));
        }
    }
}
