using System.Diagnostics;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// The training loop: shuffled mini-batches, optional augmentation of training batches, cross-entropy (with optional
/// label smoothing), optional gradient clipping, the chosen optimizer and schedule, evaluation after every epoch,
/// callbacks, progress, logging and cancellation. Every step runs inside a dispose scope, so memory stays flat.
/// </summary>
public sealed class Trainer(ILogger? logger = null) : ITrainer
{
    // Augmentation draws from its own generator, so that it does not shift the dropout sequence.
    const long AugmentationSeedOffset = 0x5EED_A06;

    readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <inheritdoc />
    /// <remarks>The model is created here and belongs to the returned <see cref="TrainedModel"/>; when training fails or is cancelled, it is disposed before the exception leaves.</remarks>
    public TrainedModel Fit(IModelFactory factory, IDataset train, IDataset? validation, TrainerOptions options,
        IReadOnlyList<ITrainingCallback>? callbacks = null, IProgress<TrainingProgress>? progress = null,
        IDataset? monitor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        manual_seed(options.Seed);
        Module<Tensor, Tensor> model = factory.Create(train.ImageShape, train.ClassNames.Count, options.Device);
        try
        {
            TrainingHistory history = Fit(model, train, validation, options, callbacks, progress, monitor, cancellationToken, factory.Name);
            return new TrainedModel(model, history, ModelCard.For(factory.Name, train));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public TrainingHistory Fit(Module<Tensor, Tensor> model, IDataset train, IDataset? validation, TrainerOptions options,
        IReadOnlyList<ITrainingCallback>? callbacks = null, IProgress<TrainingProgress>? progress = null,
        IDataset? monitor = null, CancellationToken cancellationToken = default) =>
        Fit(model, train, validation, options, callbacks, progress, monitor, cancellationToken, model?.GetType().Name ?? "");

    TrainingHistory Fit(Module<Tensor, Tensor> model, IDataset train, IDataset? validation, TrainerOptions options,
        IReadOnlyList<ITrainingCallback>? callbacks, IProgress<TrainingProgress>? progress, IDataset? monitor,
        CancellationToken cancellationToken, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckNotEmpty(train, nameof(train));
        CheckNotEmpty(validation, nameof(validation));
        CheckNotEmpty(monitor, nameof(monitor));
        CheckCompatible(train, validation, nameof(validation));
        CheckCompatible(train, monitor, nameof(monitor));
        ModelCompatibility.CheckTrainable(model);
        ModelCompatibility.Check(model, train, nameof(train));
        callbacks ??= [];
        var batches = new BatchIterator(train, new BatchOptions
        {
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            DropLast = options.DropLastBatch,
            Device = options.Device,
        });
        if (batches.BatchesPerEpoch == 0)
        {
            throw new InvalidOptionException("TrainerOptions.BatchSize", options.BatchSize,
                $"expected at most {train.Count} (the training images) when DropLastBatch is set, so that an epoch has a batch");
        }
        if (validation is null && options.Schedule.WatchesMonitor && options.Schedule.Monitor != MonitoredMetric.TrainLoss)
        {
            throw new InvalidOptionException("TrainerOptions.Schedule.Monitor", options.Schedule.Monitor,
                "expected TrainLoss: there is no validation set to watch");
        }
        // The refusals that look at the model and the checkpoint also come before the model or the process changes.
        if (options.ChannelsLast) ChannelsLastLayout.CheckSupported(model);
        TrainingCheckpoint.State? resumed = options.ResumeFrom is null ? null : TrainingCheckpoint.CheckResumable(options.ResumeFrom, options, modelName);

        if (options.Threads is int threads) set_num_threads(threads);
        manual_seed(options.Seed);
        model.to(options.Device);
        if (options.Precision == Precision.BFloat16 && BFloat16Support.HasHardwareUnits != true) Log.BFloat16Emulated(_logger, BFloat16Support.Describe());
        // In bfloat16 the optimizer steps float32 masters of the layers that compute in bfloat16 (BFloat16Compute).
        using BFloat16Compute.Masters? masters = options.Precision == Precision.BFloat16 ? new BFloat16Compute.Masters(model) : null;
        using OptimizerHelper optimizer = options.Optimizer.Create(masters?.Parameters ?? model.parameters());
        using AveragedWeights? averaged = options.WeightAveraging is ExponentialMovingAverage ema ? new AveragedWeights(model, ema) : null;
        var schedule = new LearningRateSchedule(options.Schedule, options.Optimizer.LearningRate, options.Epochs, batches.BatchesPerEpoch);
        using var augmentationGenerator = new Generator((ulong)(options.Seed + AugmentationSeedOffset));
        var history = new TrainingHistory();
        var context = new TrainingContext(model, optimizer, options, history, schedule, augmentationGenerator, _logger, validation is not null)
        {
            ModelName = modelName,
            BFloat16Masters = masters?.Parameters,
            AveragedWeights = averaged,
        };

        int completed = 0;
        if (resumed is not null)
        {
            completed = TrainingCheckpoint.Restore(options.ResumeFrom!, resumed, context);
            Log.Resumed(_logger, options.ResumeFrom!, completed);
        }
        context.StartClock(completed);
        // Channels-last weights from here to the end of training, the standard layout again when Fit ends, however it ends.
        if (options.ChannelsLast) ChannelsLastLayout.Apply(model);
        try
        {
            Log.TrainingStarted(_logger, train.Count, validation?.Count ?? 0, Plural.Of(options.Epochs, "epoch"), options.BatchSize, options.Optimizer.ToString(),
                options.Schedule.ToString(), options.Device.ToString());
            foreach (ITrainingCallback callback in callbacks) callback.OnTrainBegin(context);

            for (int epoch = completed; epoch < options.Epochs && !context.StopRequested; epoch++)
            {
                context.Epoch = epoch + 1;
                foreach (ITrainingCallback callback in callbacks) callback.OnEpochBegin(context);
                EpochRecord record = RunEpoch(context, batches, epoch, validation, monitor, callbacks, progress, cancellationToken);
                history.Add(record);
                schedule.EndEpoch(record);
                foreach (ITrainingCallback callback in callbacks) callback.OnEpochEnd(context, record);
                Log.EpochFinished(_logger, record.Epoch, options.Epochs, record.ToString());
                if (progress is not null)
                {
                    (TimeSpan elapsed, TimeSpan? remaining) = context.Timing(batches.BatchesPerEpoch, batches.BatchesPerEpoch);
                    progress.Report(new TrainingProgress(record.Epoch, options.Epochs, batches.BatchesPerEpoch, batches.BatchesPerEpoch,
                        record.TrainLoss, record.TrainAccuracy, record.ImagesPerSecond, record, elapsed, remaining));
                }
            }

            if (context.StopRequested) Log.Stopped(_logger, context.Epoch, context.StopReason ?? "");
            foreach (ITrainingCallback callback in callbacks) callback.OnTrainEnd(context);
        }
        catch (OperationCanceledException)
        {
            string checkpoint = callbacks.OfType<ModelCheckpoint>().Select(c => c.LastSavedEpoch is int saved ? $"{c.LastDirectory} (epoch {saved})" : null)
                .FirstOrDefault(c => c is not null) ?? (options.ResumeFrom is string from ? $"{from} (resumed from)" : "none");
            Log.Cancelled(_logger, context.Epoch, context.Batch, checkpoint);
            throw;
        }
        finally
        {
            if (options.ChannelsLast) ChannelsLastLayout.Undo(model);
        }
        model.eval();
        return history;
    }

    EpochRecord RunEpoch(TrainingContext context, BatchIterator batches, int epoch, IDataset? validation, IDataset? monitor,
        IReadOnlyList<ITrainingCallback> callbacks, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        TrainerOptions options = context.Options;
        Module<Tensor, Tensor> model = context.Model;
        OptimizerHelper optimizer = context.Optimizer;
        double firstLearningRate = context.Schedule.At(epoch, 0);
        double lossSum = 0;
        long correct = 0, seen = 0;
        int batchNumber = 0;
        var clock = Stopwatch.StartNew();
        model.train();

        // No garbage collection while a batch is cut and trained on: see NoCollectionRegion for the TorchSharp Scalar
        // race it prevents.
        context.Batch = 0;
        // With weight averaging the model holds the averaged weights between epochs: the raw ones train.
        context.AveragedWeights?.Swap(model);
        // In bfloat16 the model holds bfloat16 weights for this epoch's batches only: float32 again for the evaluations
        // and the callbacks at the epoch's end.
        using (BFloat16Compute? compute = context.BFloat16Masters is Parameter[] masters ? BFloat16Compute.ForTraining(model, masters) : null)
        {
            foreach (Batch batch in NoCollectionRegion.Each(batches.Epoch(epoch, cancellationToken)))
            {
                using DisposeScope scope = NewDisposeScope();
                SetLearningRate(optimizer, context.Schedule.At(epoch, batchNumber), options.Optimizer.LearningRate);
                batchNumber++;
                Tensor images = options.Augmentation?.Apply(batch.Images, context.AugmentationGenerator) ?? batch.Images;

                optimizer.zero_grad();
                // Loss, softmax and metrics in float32 whatever the model computes in.
                Tensor logits = compute is null ? model.forward(images) : model.forward(BFloat16Compute.Input(images)).to(ScalarType.Float32);
                Tensor loss = functional.cross_entropy(logits, batch.Labels, label_smoothing: options.LabelSmoothing);
                double lossValue = loss.item<float>();
                if (!double.IsFinite(lossValue))
                {
                    Log.NonFiniteLoss(_logger, context.Epoch, batchNumber, lossValue);
                    throw new NonFiniteLossException(context.Epoch, batchNumber, lossValue);
                }
                loss.backward();
                compute?.GradientsToMasters();
                if (options.GradientClipNorm is double clip) nn.utils.clip_grad_norm_(compute?.MasterParameters ?? model.parameters(), clip);
                optimizer.step();
                compute?.MastersToWorking();
                context.AveragedWeights?.Update((long)epoch * batches.BatchesPerEpoch + batchNumber, compute?.MasterParameters ?? [.. model.parameters()], model);

                long batchCorrect = logits.argmax(1).eq(batch.Labels).sum().item<long>();
                lossSum += lossValue * batch.Count;
                correct += batchCorrect;
                seen += batch.Count;
                context.Batch = batchNumber;
                foreach (ITrainingCallback callback in callbacks) callback.OnBatchEnd(context, batchNumber, lossValue, batchCorrect, batch.Count);
                if (progress is not null)
                {
                    (TimeSpan elapsed, TimeSpan? remaining) = context.Timing(batchNumber, batches.BatchesPerEpoch);
                    progress.Report(new TrainingProgress(context.Epoch, options.Epochs, batchNumber, batches.BatchesPerEpoch,
                        lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds, null, elapsed, remaining));
                }
            }
        }
        context.AveragedWeights?.Swap(model); // the average is what is evaluated, called back, saved and returned
        double seconds = clock.Elapsed.TotalSeconds;

        EvaluationResult? validationResult = validation is null ? null : Evaluate(model, validation, options.EvaluationBatchSize, options.Device, options.Precision, cancellationToken, check: false);
        EvaluationResult? monitorResult = monitor is null ? null : Evaluate(model, monitor, options.EvaluationBatchSize, options.Device, options.Precision, cancellationToken, check: false);
        if (validationResult is { CrossEntropy: var validationLoss } && !double.IsFinite(validationLoss))
        {
            Log.NonFiniteLoss(_logger, context.Epoch, 0, validationLoss);
            throw new NonFiniteLossException(context.Epoch, 0, validationLoss);
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [EpochMetrics.TrainLoss] = lossSum / seen,
            [EpochMetrics.TrainAccuracy] = (double)correct / seen,
        };
        if (validationResult is not null)
        {
            metrics[EpochMetrics.ValidationLoss] = validationResult.CrossEntropy;
            metrics[EpochMetrics.ValidationAccuracy] = validationResult.Accuracy;
        }
        if (monitorResult is not null)
        {
            metrics[EpochMetrics.MonitorLoss] = monitorResult.CrossEntropy;
            metrics[EpochMetrics.MonitorAccuracy] = monitorResult.Accuracy;
        }
        metrics[EpochMetrics.LearningRate] = firstLearningRate;
        metrics[EpochMetrics.Seconds] = seconds;
        metrics[EpochMetrics.ImagesPerSecond] = seen / seconds;
        foreach (ITrainingCallback callback in callbacks) callback.OnEpochMeasured(context, metrics);
        return new EpochRecord(context.Epoch, metrics);
    }

    /// <inheritdoc />
    public EvaluationResult Evaluate(Module<Tensor, Tensor> model, IDataset data, int batchSize = 250, Device? device = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default) => Evaluate(model, data, batchSize, device, precision, cancellationToken, check: true);

    // Fit's own evaluations skip the shape check: Fit checked the model against the training set, and the validation
    // and monitor sets have the same image shape and classes.
    EvaluationResult Evaluate(Module<Tensor, Tensor> model, IDataset data, int batchSize, Device? device, Precision precision, CancellationToken cancellationToken, bool check)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckNotEmpty(data, nameof(data));
        var matrix = new ConfusionMatrix(data.ClassNames);
        double lossSum = 0;
        RunInference(model, data, batchSize, device, precision, cancellationToken, check, (batch, logits) =>
        {
            lossSum += functional.cross_entropy(logits, batch.Labels, reduction: Reduction.Sum).item<float>();
            matrix.Add(batch.Labels, logits.argmax(1));
        });
        return new EvaluationResult(lossSum / data.Count, matrix.Accuracy, data.Count, new ClassificationMetrics(matrix));
    }

    /// <inheritdoc />
    public Predictions Predict(Module<Tensor, Tensor> model, IDataset data, int batchSize = 250, Device? device = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckNotEmpty(data, nameof(data));
        var probabilities = new List<Tensor>();
        var labels = new List<Tensor>();
        var indices = new List<Tensor>();
        try
        {
            RunInference(model, data, batchSize, device, precision, cancellationToken, check: true, (batch, logits) =>
            {
                probabilities.Add(functional.softmax(logits, 1).cpu().DetachFromDisposeScope());
                labels.Add(batch.Labels.cpu().DetachFromDisposeScope());
                indices.Add(batch.Indices.clone().DetachFromDisposeScope());
            });
            return new Predictions(cat(probabilities), cat(labels), cat(indices), data.ClassNames);
        }
        finally
        {
            foreach (Tensor t in probabilities.Concat(labels).Concat(indices)) t.Dispose();
        }
    }

    /// <summary>Runs <paramref name="model"/> in evaluation mode without gradients over <paramref name="data"/> in order; the logits reach <paramref name="onBatch"/> in float32.</summary>
    static void RunInference(Module<Tensor, Tensor> model, IDataset data, int batchSize, Device? device, Precision precision, CancellationToken cancellationToken,
        bool check, Action<Batch, Tensor> onBatch)
    {
        if (batchSize < 1) throw new InvalidOptionException(nameof(batchSize), batchSize, "expected 1 or more");
        if (!Enum.IsDefined(precision)) throw new InvalidOptionException(nameof(precision), precision, "expected Float32 or BFloat16");
        if (check) ModelCompatibility.Check(model, data, nameof(data));
        Device target = device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
        if (precision == Precision.BFloat16 && target.type != DeviceType.CPU)
        {
            throw new InvalidOptionException(nameof(precision), precision, $"expected Float32 on {target}: bfloat16 inference is implemented for CPUs");
        }
        bool wasTraining = model.training;
        model.eval();
        BFloat16Compute? compute = precision == Precision.BFloat16 ? BFloat16Compute.ForInference(model) : null;
        try
        {
            using var noGrad = no_grad();
            var batches = new BatchIterator(data, new BatchOptions { BatchSize = batchSize, Shuffle = false, Device = target });
            foreach (Batch batch in NoCollectionRegion.Each(batches.Epoch(0, cancellationToken))) // as in RunEpoch
            {
                using DisposeScope scope = NewDisposeScope();
                onBatch(batch, compute is null ? model.forward(batch.Images) : model.forward(BFloat16Compute.Input(batch.Images)).to(ScalarType.Float32));
            }
        }
        finally
        {
            compute?.Dispose();
            model.train(wasTraining);
        }
    }

    // Each group keeps its ratio to the schedule's rate (OptimizerSettings.NormAndBias gives the second group its own):
    // InitialLearningRate is the group's rate at the base rate. With one group the ratio is exactly 1.
    static void SetLearningRate(OptimizerHelper optimizer, double learningRate, double baseLearningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate * (group.InitialLearningRate / baseLearningRate);
    }

    // An empty set would otherwise surface far from its cause: as a NaN "validation loss" or an epoch without batches.
    static void CheckNotEmpty(IDataset? data, string name)
    {
        if (data is not null && data.Count == 0) throw new ArgumentException($"The {name} set is empty: expected at least one image.", name);
    }

    static void CheckCompatible(IDataset train, IDataset? other, string name)
    {
        if (other is null) return;
        if (other.ImageShape != train.ImageShape || !other.ClassNames.SequenceEqual(train.ClassNames))
        {
            throw new ArgumentException(
                $"The {name} set ({other.ImageShape}, {other.ClassNames.Count} classes) does not match the training set ({train.ImageShape}, {train.ClassNames.Count} classes).", name);
        }
    }
}
