using FashionMnist.Baselines.Augmentation;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Training;

/// <summary>Everything that defines a training run. <see cref="Validate"/> runs before any training starts.</summary>
public sealed record TrainerOptions
{
    /// <summary>Number of epochs (1 or more). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Training batch size (1 or more). Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Batch size for validation, monitoring and evaluation (1 or more). Default 250 (larger batches are slower on CPU).</summary>
    public int EvaluationBatchSize { get; init; } = 250;

    /// <summary>Whether to drop the last, smaller training batch of each epoch. Default false.</summary>
    public bool DropLastBatch { get; init; }

    /// <summary>The optimizer. Default Adam, lr 1e-3.</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerSettings.Adam();

    /// <summary>The learning-rate schedule. Default constant.</summary>
    public ScheduleOptions Schedule { get; init; } = ScheduleOptions.Constant;

    /// <summary>Label smoothing of the training loss, in [0, 1). Default 0.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Clip the global gradient norm to this value (null: no clipping).</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Applied to training batches only (never to validation, monitor or test batches). Default none.</summary>
    public IBatchTransform? Augmentation { get; init; }

    /// <summary>Seed of weights (when a factory is given), batch order, dropout and augmentation. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where training runs. Default the CPU.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>CPU threads for TorchSharp (null: leave TorchSharp's setting). Note: a process-wide setting.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Store the model's 4-D weights channels-last (NHWC) while training, which makes LibTorch's CPU convolutions skip
    /// most layout conversions (docs/benchmarks.md: a training step of ResNet-20 1.40x faster, MobileNet 1.4x, WRN-16-4 1.12x, on 2 cores). The
    /// weights are back in the standard layout in every checkpoint and weights file and when Fit returns. Default false.
    /// LibTorch 2.10's oneDNN dies with SIGFPE when it sets up some 1x1 convolutions channels-last (512 to 1,024
    /// channels, as in MobileNet v1 width 1.0; see <c>ChannelsLastLayout.CrashesOneDnn</c>): such a convolution keeps
    /// the standard layout, and needs a <see cref="Runtime.StandardLayout"/> module right before it, as the library's
    /// MobileNet has; Fit refuses a model with such a layer without one (<see cref="InvalidOptionException"/>) before
    /// training.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>
    /// The precision of the training steps and of the per-epoch validation and monitor evaluations (see
    /// <see cref="Training.Precision"/>). <see cref="Precision.BFloat16"/> runs on the CPU only; checkpoints, weights
    /// files and the model Fit returns stay float32, and a run resumes only in the precision it started in. Default
    /// <see cref="Precision.Float32"/>.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>
    /// An exponential moving average of the weights, which the run then evaluates, selects, saves and returns (see
    /// <see cref="ExponentialMovingAverage"/>); null (the default): the raw weights.
    /// </summary>
    public ExponentialMovingAverage? WeightAveraging { get; init; }

    /// <summary>A checkpoint directory (as written by <see cref="ModelCheckpoint"/>) to resume from, or null.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Checks every option; throws <see cref="InvalidOptionException"/> naming every bad one with its allowed range.</summary>
    public void Validate()
    {
        var checks = new OptionChecks();
        AddErrors(checks);
        checks.ThrowIfAny();
    }

    internal void AddErrors(OptionChecks checks)
    {
        checks.Check(Epochs >= 1, "TrainerOptions.Epochs", Epochs, "expected 1 or more");
        checks.Check(BatchSize >= 1, "TrainerOptions.BatchSize", BatchSize, "expected 1 or more");
        checks.Check(EvaluationBatchSize >= 1, "TrainerOptions.EvaluationBatchSize", EvaluationBatchSize, "expected 1 or more");
        checks.Check(Optimizer is not null, "TrainerOptions.Optimizer", null, "expected an optimizer");
        Optimizer?.AddErrors(checks, "TrainerOptions.Optimizer");
        checks.Check(Schedule is not null, "TrainerOptions.Schedule", null, "expected a schedule");
        Schedule?.AddErrors(checks, Math.Max(Epochs, 1), "TrainerOptions.Schedule");
        checks.Check(LabelSmoothing is >= 0 and < 1, "TrainerOptions.LabelSmoothing", LabelSmoothing, "expected 0 <= smoothing < 1");
        checks.Check(GradientClipNorm is null || (double.IsFinite(GradientClipNorm.Value) && GradientClipNorm > 0),
            "TrainerOptions.GradientClipNorm", GradientClipNorm, "expected null or a finite number > 0");
        checks.Check(Device is not null, "TrainerOptions.Device", null, "expected a device");
        checks.Check(Enum.IsDefined(Precision), "TrainerOptions.Precision", Precision, "expected Float32 or BFloat16");
        checks.Check(Precision != Precision.BFloat16 || Device is null || Device.type == TorchSharp.DeviceType.CPU, "TrainerOptions.Precision", Precision,
            $"expected Float32 on {Device}: bfloat16 training is implemented for CPUs (with BF16 units, see BFloat16Support)");
        WeightAveraging?.AddErrors(checks, "TrainerOptions.WeightAveraging");
        checks.Check(Threads is null || Threads is >= 1 and <= 1024, "TrainerOptions.Threads", Threads, "expected null or 1..1024");
        checks.Check(ResumeFrom is null || TrainingCheckpoint.Exists(ResumeFrom), "TrainerOptions.ResumeFrom", ResumeFrom, "expected an existing checkpoint directory");
    }
}
