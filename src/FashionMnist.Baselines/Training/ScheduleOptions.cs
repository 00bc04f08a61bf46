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

    /// <summary>One-cycle and warm-up-linear: the fraction of steps spent warming up.</summary>
    public double WarmupFraction { get; init; } = 0.3;

    /// <summary>Plateau and decay-when-stalled: the factor applied to the rate.</summary>
    public double Factor { get; init; } = 0.9;

    /// <summary>Plateau and decay-when-stalled: epochs without a new best before a reduction (each rule counts its own way; see <see cref="ScheduleKind"/>).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Plateau: the smallest change that counts as a new best.</summary>
    public double MinDelta { get; init; } = 1e-4;

    /// <summary>Plateau and decay-when-stalled: the watched figure.</summary>
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

    /// <summary>
    /// Linear warm-up over <paramref name="warmupFraction"/> of the steps to the optimizer's rate, then linear decay to
    /// <paramref name="minLearningRate"/> (<see cref="ScheduleKind.WarmupLinear"/>).
    /// </summary>
    public static ScheduleOptions WarmupLinear(double warmupFraction = 0.1, double minLearningRate = 0) =>
        new() { Kind = ScheduleKind.WarmupLinear, WarmupFraction = warmupFraction, MinLearningRate = minLearningRate };

    /// <summary>
    /// Keras' ReduceLROnPlateau rule: x<paramref name="factor"/> after <paramref name="patience"/> epochs without a new
    /// best by more than <see cref="MinDelta"/> (the seed's own rule is <see cref="DecayWhenStalled"/>).
    /// </summary>
    public static ScheduleOptions Plateau(double factor = 0.9, int patience = 10, MonitoredMetric monitor = MonitoredMetric.ValidationLoss) =>
        new() { Kind = ScheduleKind.Plateau, Factor = factor, Patience = patience, Monitor = monitor };

    /// <summary>
    /// The default of each schedule for a run of <paramref name="epochs"/>: step every third of the run, multistep at
    /// half and three quarters of it (as far as a short run has room), cosine to 0, one-cycle peaking at the optimizer's
    /// rate, Keras' plateau rule, the seed's decay-when-stalled rule, and a tenth of the run's steps of linear warm-up
    /// before the linear decay to 0.
    /// </summary>
    public static ScheduleOptions Default(ScheduleKind kind, int epochs) => kind switch
    {
        ScheduleKind.Constant => Constant,
        ScheduleKind.Step => Step(Math.Max(1, epochs / 3)),
        ScheduleKind.MultiStep => MultiStep(new[] { epochs / 2, epochs * 3 / 4 }.Where(m => m >= 1 && m < epochs).Distinct().ToArray()),
        ScheduleKind.Cosine => Cosine(),
        ScheduleKind.OneCycle => OneCycle(),
        ScheduleKind.Plateau => Plateau(),
        ScheduleKind.DecayWhenStalled => DecayWhenStalled(),
        ScheduleKind.WarmupLinear => WarmupLinear(),
        _ => throw new InvalidOptionException("ScheduleOptions.Kind", kind, "expected one of " + string.Join(", ", Enum.GetNames<ScheduleKind>())),
    };

    /// <summary>
    /// This schedule for a run of <paramref name="epochs"/> instead of <paramref name="recipeEpochs"/>: multistep
    /// milestones keep their fractions of the run (150/300 and 225/300 of the Random Erasing recipe); others stay.
    /// </summary>
    public ScheduleOptions Rescaled(int recipeEpochs, int epochs) =>
        Kind != ScheduleKind.MultiStep || epochs == recipeEpochs || recipeEpochs < 1
            ? this
            : this with { Milestones = Milestones.Select(m => Math.Max(1, (int)((long)m * epochs / recipeEpochs))).Distinct().Where(m => m < epochs).ToArray() };

    /// <summary>
    /// The seed CNN's rule, exactly (<see cref="ScheduleKind.DecayWhenStalled"/>): x<paramref name="factor"/> once
    /// <paramref name="patience"/> epochs have passed without a strictly better <paramref name="monitor"/> value.
    /// </summary>
    public static ScheduleOptions DecayWhenStalled(double factor = 0.9, int patience = 10, MonitoredMetric monitor = MonitoredMetric.ValidationAccuracy) =>
        new() { Kind = ScheduleKind.DecayWhenStalled, Factor = factor, Patience = patience, Monitor = monitor, MinDelta = 0 };

    /// <summary>Whether this schedule reacts to a watched figure (plateau and decay-when-stalled), so that it needs one every epoch.</summary>
    public bool WatchesMonitor => Kind is ScheduleKind.Plateau or ScheduleKind.DecayWhenStalled;

    /// <summary>Checks every value for a run of <paramref name="epochs"/>; throws <see cref="InvalidOptionException"/> naming every bad one.</summary>
    public void Validate(int epochs, string prefix = "ScheduleOptions")
    {
        var checks = new OptionChecks();
        AddErrors(checks, epochs, prefix);
        checks.ThrowIfAny();
    }

    internal void AddErrors(OptionChecks checks, int epochs, string prefix)
    {
        checks.Check(Enum.IsDefined(Kind), $"{prefix}.Kind", Kind, "expected one of " + string.Join(", ", Enum.GetNames<ScheduleKind>()));
        checks.Check(StepSize >= 1, $"{prefix}.StepSize", StepSize, "expected 1 or more epochs");
        checks.Check(Gamma is > 0 and <= 1, $"{prefix}.Gamma", Gamma, "expected 0 < gamma <= 1");
        checks.Check(Milestones.All(m => m >= 1 && m < epochs) && Milestones.SequenceEqual(Milestones.Order().Distinct()),
            $"{prefix}.Milestones", Milestones, $"expected increasing epochs in 1..{epochs - 1}");
        checks.Check(double.IsFinite(MinLearningRate) && MinLearningRate >= 0, $"{prefix}.MinLearningRate", MinLearningRate, "expected a finite number >= 0");
        checks.Check(MaxLearningRate is null || (double.IsFinite(MaxLearningRate.Value) && MaxLearningRate > 0), $"{prefix}.MaxLearningRate", MaxLearningRate, "expected null or a finite number > 0");
        checks.Check(WarmupFraction is > 0 and < 1, $"{prefix}.WarmupFraction", WarmupFraction, "expected 0 < fraction < 1");
        checks.Check(Factor is > 0 and < 1, $"{prefix}.Factor", Factor, "expected 0 < factor < 1");
        checks.Check(Patience >= 1, $"{prefix}.Patience", Patience, "expected 1 or more epochs");
        checks.Check(double.IsFinite(MinDelta) && MinDelta >= 0, $"{prefix}.MinDelta", MinDelta, "expected a finite number >= 0");
        checks.Check(Enum.IsDefined(Monitor), $"{prefix}.Monitor", Monitor, "expected one of " + string.Join(", ", Enum.GetNames<MonitoredMetric>()));
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
        ScheduleKind.WarmupLinear => FormattableString.Invariant($"warmup-linear(warm-up {WarmupFraction}, to {MinLearningRate})"),
        ScheduleKind.DecayWhenStalled => FormattableString.Invariant(
            $"decay-when-stalled(x{Factor} once {Monitor} has not improved for {Patience} epochs, then every {Patience}; the seed's rule)"),
        _ => "constant",
    };
}
