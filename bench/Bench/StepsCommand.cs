using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary><c>Bench steps</c>: one SGD training step of batch 128 per model (issue "Models").</summary>
internal static class StepsCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        IEnumerable<string> names = options.Positional.Count > 0 ? options.Positional : ModelRegistry.Names;
        using Tensor indices = arange(128);
        using Batch batch = full.GetBatch(indices, CPU);
        foreach (string name in names)
        {
            IModelFactory factory = ModelRegistry.Resolve(name);
            ModelSummary summary = factory.Describe(full.ImageShape, 10);
            using Module<Tensor, Tensor> model = factory.Create(full.ImageShape, 10);
            using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9);
            model.train();
            void Step()
            {
                using var s = NewDisposeScope();
                optimizer.zero_grad();
                functional.cross_entropy(model.call(batch.Images), batch.Labels).backward();
                optimizer.step();
            }
            Step();
            // Enough steps for about two seconds, at least two.
            var clock = Stopwatch.StartNew();
            Step();
            double first = clock.Elapsed.TotalSeconds;
            int repeats = Math.Max(2, (int)(2 / first));
            clock.Restart();
            for (int i = 0; i < repeats; i++) Step();
            double ms = clock.Elapsed.TotalMilliseconds / repeats;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT step model={name} params={summary.TrainableParameters} mmacs={summary.MultiplyAdds / 1e6:F1} step_ms_batch128={ms:F1} img_s={128 / ms * 1000:F0}"));
        }
    }
}
