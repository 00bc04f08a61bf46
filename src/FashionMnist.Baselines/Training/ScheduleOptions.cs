namespace FashionMnist.Baselines.Training;

/// <summary>A learning-rate schedule and its parameters. Use the factory methods.</summary>
public sealed record ScheduleOptions
{
    /// <summary>The kind of schedule.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary>Step: epochs between reductions.</summary>
    public int StepSize { get; init; } = 30;

    /// <summary>Step and multistep: the factor applied at each reduction.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Multistep: the epochs (0-based, counted as completed epochs) at which gamma applies.</summary>
    public IReadOnlyList<int> Milestones { get; init; } = [];

    /// <summary>Cosine: the final learning rate. Plateau: the floor.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>One-cycle: the peak learning rate; the optimizer's learning rate when null.</summary>
    public double? MaxLearningRate { get; init; }

    /// <summary>One-cycle: the fraction of steps spent warming up.</summary>
    public double WarmupFraction { get; init; } = 0.3;

    /// <summary>Plateau: the factor applied after a plateau.</summary>
    public double Factor { get; init; } = 0.9;

    /// <summary>Plateau: epochs without a new best before a reduction.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Plateau: the smallest change that counts as a new best.</summary>
    public double MinDelta { get; init; } = 1e-4;

    /// <summary>Plateau: the watched figure.</summary>
    public MonitoredMetric Monitor { get; init; } = MonitoredMetric.ValidationLoss;

    /// <summary>A constant learning rate.</summary>
    public static ScheduleOptions Constant { get; } = new();

    /// <summary>Multiplies by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public static ScheduleOptions Step(int stepSize, double gamma = 0.1) => new() { Kind = ScheduleKind.Step, StepSize = stepSize, Gamma = gamma };

    /// <summary>Multiplies by <paramref name="gamma"/> at each of <paramref name="milestones"/>.</summary>
    public static ScheduleOptions MultiStep(IReadOnlyList<int> milestones, double gamma = 0.1) =>
        new() { Kind = ScheduleKind.MultiStep, Milestones = milestones.ToArray(), Gamma = gamma };

    /// <summary>Cosine annealing per step down to <paramref name="minLearningRate"/>.</summary>
    public static ScheduleOptions Cosine(double minLearningRate = 0) => new() { Kind = ScheduleKind.Cosine, MinLearningRate = minLearningRate };

    /// <summary>One-cycle per step with peak <paramref name="maxLearningRate"/> (the optimizer's rate when null).</summary>
    public static ScheduleOptions OneCycle(double? maxLearningRate = null, double warmupFraction = 0.3) =>
        new() { Kind = ScheduleKind.OneCycle, MaxLearningRate = maxLearningRate, WarmupFraction = warmupFraction };

    /// <summary>The seed's rule: x<paramref name="factor"/> after <paramref name="patience"/> epochs without a new best.</summary>
    public static ScheduleOptions Plateau(double factor = 0.9, int patience = 10, MonitoredMetric monitor = MonitoredMetric.ValidationLoss) =>
        new() { Kind = ScheduleKind.Plateau, Factor = factor, Patience = patience, Monitor = monitor };

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> naming the first bad one.</summary>
    public void Validate(int epochs, string prefix = "ScheduleOptions")
    {
        InvalidOptionException.Check(Enum.IsDefined(Kind), $"{prefix}.Kind", Kind, "expected one of " + string.Join(", ", Enum.GetNames<ScheduleKind>()));
        InvalidOptionException.Check(StepSize >= 1, $"{prefix}.StepSize", StepSize, "expected 1 or more epochs");
        InvalidOptionException.Check(Gamma is > 0 and <= 1, $"{prefix}.Gamma", Gamma, "expected 0 < gamma <= 1");
        InvalidOptionException.Check(Milestones.All(m => m >= 1 && m < epochs) && Milestones.SequenceEqual(Milestones.Order().Distinct()),
            $"{prefix}.Milestones", Milestones, $"expected increasing epochs in 1..{epochs - 1}");
        InvalidOptionException.Check(double.IsFinite(MinLearningRate) && MinLearningRate >= 0, $"{prefix}.MinLearningRate", MinLearningRate, "expected a finite number >= 0");
        InvalidOptionException.Check(MaxLearningRate is null || (double.IsFinite(MaxLearningRate.Value) && MaxLearningRate > 0), $"{prefix}.MaxLearningRate", MaxLearningRate, "expected null or a finite number > 0");
        InvalidOptionException.Check(WarmupFraction is > 0 and < 1, $"{prefix}.WarmupFraction", WarmupFraction, "expected 0 < fraction < 1");
        InvalidOptionException.Check(Factor is > 0 and < 1, $"{prefix}.Factor", Factor, "expected 0 < factor < 1");
        InvalidOptionException.Check(Patience >= 1, $"{prefix}.Patience", Patience, "expected 1 or more epochs");
        InvalidOptionException.Check(double.IsFinite(MinDelta) && MinDelta >= 0, $"{prefix}.MinDelta", MinDelta, "expected a finite number >= 0");
        InvalidOptionException.Check(Enum.IsDefined(Monitor), $"{prefix}.Monitor", Monitor, "expected one of " + string.Join(", ", Enum.GetNames<MonitoredMetric>()));
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ScheduleKind.Step => FormattableString.Invariant($"step(every {StepSize} epochs x{Gamma})"),
        ScheduleKind.MultiStep => FormattableString.Invariant($"multistep(x{Gamma} at [{string.Join(", ", Milestones)}])"),
        ScheduleKind.Cosine => FormattableString.Invariant($"cosine(to {MinLearningRate})"),
        ScheduleKind.OneCycle => FormattableString.Invariant($"one-cycle(max {(MaxLearningRate is double max ? max : "lr")}, warm-up {WarmupFraction})"),
        ScheduleKind.Plateau => FormattableString.Invariant(
            $"plateau(x{Factor} after {Patience} epochs without a better {Monitor}, min delta {MinDelta}{(MinLearningRate > 0 ? $", floor {MinLearningRate}" : "")})"),
        _ => "constant",
    };
}
