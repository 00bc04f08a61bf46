using System.Diagnostics;
using System.Globalization;
using FashionMnist.Baselines;
using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// Speed and memory measurements for docs/benchmarks.md (not tests). Usage:
//   Bench speed <model> [--batch N] [--optimizer sgd|adam|adadelta] [--images N] [--threads N] [--default-allocator]
//               [--channels-last] [--batch-times FILE]   (FILE: the CLOCK_MONOTONIC second at which each training
//               batch ended, one per line, for bench/lockstep.py)
//   Bench overhead [--epochs N] [--images N]      Trainer.Fit against a bare loop, side by side
//   Bench rss [--epochs N] [--images N] [--collect] resident memory after every epoch of the CNN
//   Bench ops                                     BatchNorm + add + ReLU forward and backward on a ResNet-20 activation, and an SGD step,
//                                                 NCHW and channels-last (bench/ops_reference.py: the same in PyTorch)
//   Bench no-gc-memory [--regions N]              resident memory of a loop of no-GC regions, with and without
//                                                 NoCollectionRegion.Each's periodic full collection
//   Bench conv [--in C] [--out C] [--size HW] [--kernel K] [--stride S] [--groups G] [--batch N]
//               [--standard-input] [--standard-weight]
//                                                 one convolution forward and backward, input and weight channels-last
//                                                 unless said otherwise
//                                                 (to find the shapes LibTorch's oneDNN cannot run: a crash ends the process)
//   Bench augmentation                            crop + flip + erase against one CNN training step, batch 128
//   Bench steps [model ...]                       one SGD training step of batch 128 per model (issue "Models")
//   Bench memory-format [model ...] [--rounds N]  the same SGD step with NCHW and with channels-last tensors, alternating
//   Bench finalizer-race [--seconds N] [--guard] [--allocate] [--quiet]
//                                                 TorchSharp's implicit Scalar against a GC on another thread
string command = args.Length > 0 ? args[0] : "speed";
var options = Options.Parse(args.Skip(1).ToArray());
if (!options.Has("default-allocator")) NativeAllocator.KeepFreedMemory();
if (options.Int("threads") is int threads) set_num_threads(threads);

using InMemoryDataset full = FashionMnistDataset.Load(FashionMnistPart.Train);
switch (command)
{
    case "speed": Speed(); break;
    case "overhead": Overhead(); break;
    case "rss": Rss(); break;
    case "augmentation": AugmentationCost(); break;
    case "steps": StepTimes(); break;
    case "memory-format": MemoryFormat(); break;
    case "finalizer-race": FinalizerRace(); break;
    case "no-gc-memory": NoGcMemory(); break;
    case "ops": Ops(); break;
    case "conv": Conv(); break;
    default: throw new ArgumentException($"Unknown command {command}.");
}

void Speed()
{
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
    var fitOptions = new TrainerOptions { Epochs = 1, BatchSize = batch, Optimizer = optimizer, DropLastBatch = true, ChannelsLast = options.Has("channels-last") };
    using (InMemoryDataset warm = full.Take(batch * 3)) trainer.Fit(factory, warm, null, fitOptions).Dispose();
    var batchClock = new BatchClock(train.Count / batch);
    using TrainedModel trained = trainer.Fit(factory, train, null, fitOptions, [batchClock]);
    double trainSpeed = trained.History.Epochs[0].ImagesPerSecond;
    if (options.String("batch-times") is string batchTimes) batchClock.Write(batchTimes);

    var clock = Stopwatch.StartNew();
    trainer.Evaluate(trained.Model, train, 250);
    double inferSpeed = train.Count / clock.Elapsed.TotalSeconds;

    var iterator = new BatchIterator(train, new BatchOptions { BatchSize = batch });
    clock.Restart();
    int batches = 0;
    foreach (Batch _ in iterator.Epoch(0)) batches++;
    double pipelineMs = clock.Elapsed.TotalMilliseconds / batches;

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT torchsharp model={name} batch={batch} optimizer={optimizer.Kind} train_img_s={trainSpeed:F1} infer_img_s={inferSpeed:F1} pipeline_ms_per_batch={pipelineMs:F3} peak_rss_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} threads={get_num_threads()} channels_last={fitOptions.ChannelsLast}"));
}

void Overhead()
{
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

void Rss()
{
    int epochs = options.Int("epochs") ?? 10;
    int images = options.Int("images") ?? 10_000;
    using InMemoryDataset train = full.Take(images);
    // As the CLI runs by default; --collect forces a full collection before each reading (the figure without the
    // garbage the runtime has not yet collected).
    var probe = new RssProbe(options.Has("collect"));
    using TrainedModel _ = new Trainer().Fit(new CnnFactory(), train, null,
        new TrainerOptions { Epochs = epochs, BatchSize = 100, Optimizer = OptimizerSettings.KerasAdadelta() }, [probe]);
    double second = probe.Rss[1], last = probe.Rss[^1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT rss epochs={epochs} images={images} rss_mb_per_epoch=[{string.Join(", ", probe.Rss.Select(r => (r / 1e6).ToString("F0", CultureInfo.InvariantCulture)))}] epoch2_mb={second / 1e6:F0} last_mb={last / 1e6:F0} change_pct={(last / second - 1) * 100:F2} " +
        $"managed_mb_per_epoch=[{string.Join(", ", probe.Managed.Select(r => (r / 1e6).ToString("F0", CultureInfo.InvariantCulture)))}] gen2_collections={GC.CollectionCount(2)} forced_collect={probe.Collect}"));
}

// The .NET behaviour behind NoCollectionRegion.CollectAfterAllocating: memory allocated inside no-GC regions stays
// resident until an induced collection. The same loop (a region per item, 4 KB of small arrays inside each) runs
// three ways: bare regions, through NoCollectionRegion.Each (regions plus its periodic collection), and without regions.
void NoGcMemory()
{
    int regions = options.Int("regions") ?? 100_000;
    object? sink = null;
    void Work() { for (int k = 0; k < 20; k++) sink = new byte[200]; }
    double Rss() { using var process = Process.GetCurrentProcess(); return process.WorkingSet64 / 1e6; }
    string Measure(string name, Action loop)
    {
        GC.Collect();
        double start = Rss();
        loop();
        double end = Rss();
        return string.Create(CultureInfo.InvariantCulture, $"{name}_start_mb={start:F0} {name}_end_mb={end:F0} ");
    }
    string bare = Measure("bare_regions", () =>
    {
        for (int i = 0; i < regions; i++)
        {
            bool started = GC.TryStartNoGCRegion(NoCollectionRegion.AllocationBudget, disallowFullBlockingGC: true);
            Work();
            if (started && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    });
    long collections = NoCollectionRegion.Collections;
    string each = Measure("each", () => { foreach (int _ in NoCollectionRegion.Each(Enumerable.Range(0, regions))) Work(); });
    string none = Measure("no_regions", () => { for (int i = 0; i < regions; i++) Work(); });
    GC.KeepAlive(sink);
    Console.WriteLine($"RESULT no-gc-memory regions={regions} allocated_mb={regions * 20 * 224 / 1e6:F0} {bare}{each}{none}each_collections={NoCollectionRegion.Collections - collections}");
}

// One convolution forward and backward with channels-last input and weight (or not): run one process per shape to
// find the shapes that LibTorch 2.10's oneDNN cannot set up (ChannelsLastLayout.CrashesOneDnn).
void Conv()
{
    int inputs = options.Int("in") ?? 512, outputs = options.Int("out") ?? 1024, size = options.Int("size") ?? 2;
    int kernel = options.Int("kernel") ?? 1, stride = options.Int("stride") ?? 1, groups = options.Int("groups") ?? 1;
    int batch = options.Int("batch") ?? 100;
    bool channelsLastInput = !options.Has("standard-input"), channelsLastWeight = !options.Has("standard-weight");
    bool channelsLast = channelsLastInput || channelsLastWeight;
    using var scope = NewDisposeScope();
    Tensor x = randn(batch, inputs, size, size), w = randn(outputs, inputs / groups, kernel, kernel);
    if (channelsLastInput) x = ChannelsLastLayout.Of(x);
    if (channelsLastWeight) w = ChannelsLastLayout.Of(w);
    x.requires_grad_();
    w.requires_grad_();
    Tensor y = functional.conv2d(x, w, strides: [stride, stride], padding: [kernel / 2, kernel / 2], groups: groups);
    Console.WriteLine("forward done");
    y.sum().backward();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT conv in={inputs} out={outputs} size={size} kernel={kernel} stride={stride} groups={groups} batch={batch} channels_last={channelsLast} output_channels_last={y.stride()[1] == 1 && outputs > 1} ok"));
}

// The non-convolution work of a ResNet block, alone: BatchNorm (training mode), the residual add and ReLU, forward and
// backward, on a 128x16x28x28 activation in both layouts; 5 warm-up and 50 timed repetitions, as bench/ops_reference.py.
void Ops()
{
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

void AugmentationCost()
{
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

void StepTimes()
{
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

// TorchSharp 0.107 has no memory_format argument, but LibTorch picks its convolution kernels from the strides, and
// ChannelsLastLayout.Of gives a tensor the exact channels-last strides. This compares one SGD step of batch 128 with
// NCHW tensors, with a channels-last input batch only (the convolutions then produce channels-last activations, except
// after MobileNet 56x56's grey-to-3-channel expand), and with channels-last input and 4-D weights (as
// ChannelsLastLayout.Apply sets them); same initial weights, same batch, alternating.
void MemoryFormat()
{
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
        // The first steps must agree (the same arithmetic in another order), or the comparison means nothing; the same
        // seed gives models with dropout the same masks where the layout does not change the drawing order.
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

static double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

// tensor.add(other, alpha: 0.5) converts 0.5 to a finalizable Scalar that nothing references once its handle has been
// passed to native code; a garbage collection started by another thread during that call can run its finalizer, which
// frees the native Scalar while LibTorch still reads it. This loop makes such collections frequent to show the race.
void FinalizerRace()
{
    int seconds = options.Int("seconds") ?? 60;
    bool guard = options.Has("guard");
    using Tensor a = randn(256), b = randn(256);
    bool stop = false;
    // --allocate: the other thread allocates (collections come from allocation budgets) instead of calling GC.Collect;
    // --quiet: no other thread (measures what the guard costs).
    bool allocate = options.Has("allocate"), quiet = options.Has("quiet");
    var collector = new Thread(() =>
    {
        while (!Volatile.Read(ref stop))
        {
            if (allocate) GC.KeepAlive(new byte[256]);
            else GC.Collect(0);
        }
    }) { IsBackground = true };
    if (!quiet) collector.Start();
    long calls = 0;
    var clock = Stopwatch.StartNew();
    string outcome = "no error";
    try
    {
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var region = guard ? new NoCollectionRegion() : null;
            using TorchSharp.DisposeScope scope = NewDisposeScope();
            for (int i = 0; i < 100; i++, calls++) a.add(b, alpha: 0.5);
        }
    }
    catch (Exception e)
    {
        outcome = e.GetType().Name + ": " + e.Message.Split('\n')[0];
    }
    Volatile.Write(ref stop, true);
    if (!quiet) collector.Join();
    Console.WriteLine($"RESULT finalizer_race guard={guard} seconds={clock.Elapsed.TotalSeconds:F1} calls={calls} gen0={GC.CollectionCount(0)} outcome={outcome}");
}

sealed class RssProbe(bool collect) : ITrainingCallback
{
    public bool Collect { get; } = collect;

    public List<double> Rss { get; } = [];

    public List<double> Managed { get; } = [];

    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (Collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        Rss.Add(process.WorkingSet64);
        Managed.Add(GC.GetTotalMemory(forceFullCollection: false));
    }
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

sealed class Options
{
    readonly Dictionary<string, string?> _values = new();

    public List<string> Positional { get; } = [];

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) o.Positional.Add(args[i]);
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) o._values[args[i][2..]] = args[++i];
            else o._values[args[i][2..]] = null;
        }
        return o;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public int? Int(string name) => String(name) is string s ? int.Parse(s, CultureInfo.InvariantCulture) : null;
}
