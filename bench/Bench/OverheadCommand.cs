using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static FashionMnist.Baselines.Bench.BenchStatistics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary><c>Bench overhead</c>: one epoch of Trainer.Fit against a bare training loop, side by side.</summary>
internal static class OverheadCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        int epochs = options.Int("epochs") ?? 3;
        int images = options.Int("images") ?? 6000;
        using InMemoryDataset train = full.Take(images);
        var fitOptions = new TrainerOptions { Epochs = 1, BatchSize = 100, Optimizer = OptimizerSettings.Sgd(0.01, 0.9), DropLastBatch = true };
        var fit = new List<double>();
        var bare = new List<double>();
        for (int round = 0; round < epochs; round++)
        {
            // Alternate the two so that machine noise hits both alike.
            manual_seed(round);
            using (TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, fitOptions)) fit.Add(trained.History.Epochs[0].Seconds);
            manual_seed(round);
            bare.Add(BareLoop(train, fitOptions));
        }
        double f = Median(fit), b = Median(bare);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT overhead fit_s={f:F3} bare_s={b:F3} overhead_pct={(f / b - 1) * 100:F1} rounds={epochs} images={train.Count} (median seconds per epoch)"));
    }

    // The same work as Trainer.Fit's training steps, written as plainly as TorchSharp allows.
    static double BareLoop(InMemoryDataset train, TrainerOptions o)
    {
        using Module<Tensor, Tensor> model = new CnnFactory().Create(train.ImageShape, 10);
        using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9);
        var iterator = new BatchIterator(train, new BatchOptions { BatchSize = o.BatchSize, DropLast = true });
        model.train();
        var clock = Stopwatch.StartNew();
        foreach (Batch batch in iterator.Epoch(0))
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = functional.cross_entropy(model.call(batch.Images), batch.Labels);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
