using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench speed</c>: training, inference and batch-pipeline speed of one model through Trainer.Fit. bench/run.sh and
/// bench/paired.sh parse its RESULT line, bench/lockstep.py reads its --batch-times file.
/// </summary>
internal static class SpeedCommand
{
    public static void Run(BenchArguments options)
    {
        using InMemoryDataset full = BenchData.LoadTrainingSet();
        string name = options.Positional.FirstOrDefault() ?? "cnn";
        int batch = options.Int("batch") ?? 100;
        int images = options.Int("images") ?? 3000;
        OptimizerSettings optimizer = (options.String("optimizer") ?? "sgd") switch
        {
            "adam" => OptimizerSettings.Adam(1e-3),
            "adadelta" => OptimizerSettings.KerasAdadelta(),
            _ => OptimizerSettings.Sgd(0.01, 0.9),
        };
        using InMemoryDataset train = full.Take(images);
        IModelFactory factory = ModelRegistry.Resolve(name);

        // Warm-up epoch on a few batches, then the measured epoch.
        var trainer = new Trainer();
        Precision precision = options.String("precision") switch
        {
            null or "fp32" => Precision.Float32,
            "bf16" => Precision.BFloat16,
            string other => throw new ArgumentException($"--precision {other}: expected fp32 or bf16."),
        };
        var fitOptions = new TrainerOptions
        {
            Epochs = 1, BatchSize = batch, Optimizer = optimizer, DropLastBatch = true, ChannelsLast = options.Has("channels-last"), Precision = precision,
        };
        using (InMemoryDataset warm = full.Take(batch * 3)) trainer.Fit(factory, warm, null, fitOptions).Dispose();
        var batchClock = new BatchClock(train.Count / batch);
        using TrainedModel trained = trainer.Fit(factory, train, null, fitOptions, [batchClock]);
        double trainSpeed = trained.History.Epochs[0].ImagesPerSecond;
        if (options.String("batch-times") is string batchTimes) batchClock.Write(batchTimes);

        var clock = Stopwatch.StartNew();
        trainer.Evaluate(trained.Model, train, 250, precision: precision);
        double inferSpeed = train.Count / clock.Elapsed.TotalSeconds;

        var iterator = new BatchIterator(train, new BatchOptions { BatchSize = batch });
        clock.Restart();
        int batches = 0;
        foreach (Batch _ in iterator.Epoch(0)) batches++;
        double pipelineMs = clock.Elapsed.TotalMilliseconds / batches;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT torchsharp model={name} batch={batch} optimizer={optimizer.Kind} train_img_s={trainSpeed:F1} infer_img_s={inferSpeed:F1} pipeline_ms_per_batch={pipelineMs:F3} peak_rss_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} threads={get_num_threads()} channels_last={fitOptions.ChannelsLast} precision={(precision == Precision.BFloat16 ? "bf16" : "fp32")}"));
    }

    // Records when each training batch ends, on CLOCK_MONOTONIC (what Stopwatch reads on Linux, and Python's
    // time.monotonic), into a preallocated array: nothing is allocated inside the Trainer's no-GC region.
    sealed class BatchClock(int batches) : ITrainingCallback
    {
        readonly long[] _ends = new long[batches];
        int _count;

        public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size)
        {
            if (_count < _ends.Length) _ends[_count++] = Stopwatch.GetTimestamp();
        }

        public void Write(string path) => File.WriteAllLines(path, _ends.Take(_count).Select(t =>
            ((double)t / Stopwatch.Frequency).ToString("F6", CultureInfo.InvariantCulture)));
    }
}
