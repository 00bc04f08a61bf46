using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench ops</c>: the non-convolution work of a ResNet block, alone: BatchNorm (training mode), the residual add and
/// ReLU, forward and backward, on a 128x16x28x28 activation in both layouts; 5 warm-up and 50 timed repetitions, as
/// bench/ops_reference.py. Then the SGD step alone.
/// </summary>
internal static class OpsCommand
{
    public static void Run()
    {
        // Loaded first although only the SGD step below uses it: the BatchNorm figures in docs/benchmarks.md were
        // measured with the data set resident, and this keeps them comparable.
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        foreach (bool channelsLast in new[] { false, true })
        {
            Tensor Activation()
            {
                using Tensor t = randn(128, 16, 28, 28);
                return channelsLast ? ChannelsLastLayout.Of(t) : t.clone();
            }
            using var bn = BatchNorm2d(16);
            using Tensor x = Activation().requires_grad_(), g = Activation();
            void Step()
            {
                using var scope = NewDisposeScope();
                Tensor y = functional.relu(bn.call(x) + x);
                y.backward([g]);
            }
            for (int i = 0; i < 5; i++) Step();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 50; i++) Step();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT ops torchsharp bn_add_relu_fwd_bwd shape=128x16x28x28 channels_last={channelsLast} ms={clock.Elapsed.TotalMilliseconds / 50:F2} grad_channels_last={!x.grad!.is_contiguous()}"));
        }

        // The optimizer step alone: SGD with momentum 0.9 (as Bench speed) over ResNet-20's 65 parameter tensors.
        using Module<Tensor, Tensor> model = ModelRegistry.Resolve("resnet-20").Create(full.ImageShape, 10);
        using var sgd = optim.SGD(model.parameters(), 0.01, 0.9);
        using (var scope = NewDisposeScope())
        {
            using Batch batch = full.GetBatch(arange(128), CPU);
            functional.cross_entropy(model.call(batch.Images), batch.Labels).backward();
        }
        for (int i = 0; i < 5; i++) sgd.step();
        var stepClock = Stopwatch.StartNew();
        for (int i = 0; i < 50; i++) sgd.step();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT ops torchsharp sgd_step model=resnet-20 tensors={model.parameters().Count()} ms={stepClock.Elapsed.TotalMilliseconds / 50:F2}"));
    }
}
