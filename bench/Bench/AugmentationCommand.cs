using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary><c>Bench augmentation</c>: crop + flip + erase against one CNN training step, batch 128.</summary>
internal static class AugmentationCommand
{
    public static void Run()
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        using InMemoryDataset train = full.Take(1280);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9);
        var recipe = AugmentationPipeline.RandomErasingRecipe(train.Normalization);
        using var generator = new Generator(1);
        using Tensor indices = arange(128);
        using Batch batch = train.GetBatch(indices, CPU);
        model.train();
        double Time(Action step, int repeats)
        {
            step();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) step();
            return clock.Elapsed.TotalMilliseconds / repeats;
        }
        double augment = Time(() => { using var s = NewDisposeScope(); recipe.Apply(batch.Images, generator); }, 200);
        double step = Time(() =>
        {
            using var s = NewDisposeScope();
            optimizer.zero_grad();
            functional.cross_entropy(model.call(batch.Images), batch.Labels).backward();
            optimizer.step();
        }, 30);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT augmentation batch=128 crop_flip_erase_ms={augment:F3} cnn_step_ms={step:F2} share_pct={augment / step * 100:F2}"));
    }
}
