using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Training;

/// <summary>The optimisation algorithms the trainer offers.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum and weight decay.</summary>
    Sgd,
    /// <summary>Adam (Kingma and Ba 2014).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2017).</summary>
    AdamW,
    /// <summary>Adamax, Adam's infinity-norm variant.</summary>
    Adamax,
    /// <summary>Adadelta (Zeiler 2012).</summary>
    Adadelta,
}

/// <summary>An optimizer and its hyper-parameters. Use the factory methods for the usual settings.</summary>
public sealed record OptimizerSettings
{
    /// <summary>The algorithm.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Adam;

    /// <summary>The (initial) learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD momentum, in [0, 1).</summary>
    public double Momentum { get; init; }

    /// <summary>Whether SGD uses Nesterov momentum (needs momentum > 0).</summary>
    public bool Nesterov { get; init; }

    /// <summary>L2 weight decay (decoupled for AdamW).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Adam-family beta1, in [0, 1).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam-family beta2, in [0, 1).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Numerical epsilon of the Adam family and Adadelta.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Adadelta's decay rate rho, in [0, 1].</summary>
    public double Rho { get; init; } = 0.9;

    /// <summary>
    /// Null (the default): one parameter group, every parameter with <see cref="LearningRate"/> and
    /// <see cref="WeightDecay"/>. Set: the parameters with fewer than two dimensions (BatchNorm's and the biases) form a
    /// second group with their own rate multiple and weight decay (<see cref="NormAndBiasGroup"/>).
    /// </summary>
    public NormAndBiasGroup? NormAndBias { get; init; }

    /// <summary>SGD: the Random Erasing recipe uses <c>Sgd(0.1, 0.9, 5e-4)</c>.</summary>
    public static OptimizerSettings Sgd(double learningRate, double momentum = 0.9, double weightDecay = 0, bool nesterov = false) =>
        new() { Kind = OptimizerKind.Sgd, LearningRate = learningRate, Momentum = momentum, WeightDecay = weightDecay, Nesterov = nesterov };

    /// <summary>Adam with PyTorch's defaults (the MobileNet seed uses lr 1e-3).</summary>
    public static OptimizerSettings Adam(double learningRate = 1e-3, double weightDecay = 0) =>
        new() { Kind = OptimizerKind.Adam, LearningRate = learningRate, WeightDecay = weightDecay };

    /// <summary>AdamW with PyTorch's defaults.</summary>
    public static OptimizerSettings AdamW(double learningRate = 1e-3, double weightDecay = 1e-2) =>
        new() { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = weightDecay };

    /// <summary>Adamax with Keras' defaults (lr 0.002, epsilon 1e-7).</summary>
    public static OptimizerSettings Adamax(double learningRate = 2e-3) =>
        new() { Kind = OptimizerKind.Adamax, LearningRate = learningRate, Epsilon = 1e-7 };

    /// <summary>Adadelta with PyTorch's defaults (lr 1, rho 0.9, epsilon 1e-6).</summary>
    public static OptimizerSettings Adadelta(double learningRate = 1.0, double rho = 0.9, double epsilon = 1e-6) =>
        new() { Kind = OptimizerKind.Adadelta, LearningRate = learningRate, Rho = rho, Epsilon = epsilon };

    /// <summary>Adadelta with Keras' defaults (lr 1, rho 0.95, epsilon 1e-7): the seed CNN's optimizer.</summary>
    public static OptimizerSettings KerasAdadelta() => Adadelta(1.0, 0.95, 1e-7);

    /// <summary>
    /// The library's default settings of each algorithm: SGD as the Random Erasing recipe (lr 0.1, momentum 0.9,
    /// weight decay 5e-4), Adam, AdamW and Adamax with their factory defaults, and Keras' Adadelta (the seed CNN's).
    /// </summary>
    public static OptimizerSettings Default(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => Sgd(0.1, 0.9, 5e-4),
        OptimizerKind.Adam => Adam(),
        OptimizerKind.AdamW => AdamW(),
        OptimizerKind.Adamax => Adamax(),
        OptimizerKind.Adadelta => KerasAdadelta(),
        _ => throw new InvalidOptionException("OptimizerSettings.Kind", kind, "expected one of " + string.Join(", ", Enum.GetNames<OptimizerKind>())),
    };

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> naming every bad one.</summary>
    public void Validate(string prefix = "OptimizerSettings")
    {
        var checks = new OptionChecks();
        AddErrors(checks, prefix);
        checks.ThrowIfAny();
    }

    internal void AddErrors(OptionChecks checks, string prefix)
    {
        checks.Check(Enum.IsDefined(Kind), $"{prefix}.Kind", Kind, "expected one of " + string.Join(", ", Enum.GetNames<OptimizerKind>()));
        checks.Check(double.IsFinite(LearningRate) && LearningRate > 0, $"{prefix}.LearningRate", LearningRate, "expected a finite number > 0");
        checks.Check(Momentum is >= 0 and < 1, $"{prefix}.Momentum", Momentum, "expected 0 <= momentum < 1");
        checks.Check(!Nesterov || (Kind == OptimizerKind.Sgd && Momentum > 0), $"{prefix}.Nesterov", Nesterov, "expected SGD with momentum > 0 (Nesterov needs momentum)");
        checks.Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"{prefix}.WeightDecay", WeightDecay, "expected a finite number >= 0");
        checks.Check(Beta1 is >= 0 and < 1, $"{prefix}.Beta1", Beta1, "expected 0 <= beta1 < 1");
        checks.Check(Beta2 is >= 0 and < 1, $"{prefix}.Beta2", Beta2, "expected 0 <= beta2 < 1");
        checks.Check(double.IsFinite(Epsilon) && Epsilon > 0, $"{prefix}.Epsilon", Epsilon, "expected a finite number > 0");
        checks.Check(Rho is >= 0 and <= 1, $"{prefix}.Rho", Rho, "expected 0 <= rho <= 1");
        NormAndBias?.AddErrors(checks, $"{prefix}.NormAndBias");
    }

    /// <summary>
    /// Creates the TorchSharp optimizer for <paramref name="parameters"/>: one parameter group, or two with
    /// <see cref="NormAndBias"/> (the other parameters first). Each group's <c>InitialLearningRate</c> is its rate at
    /// the schedule's base rate, so the trainer keeps their ratio at every step.
    /// </summary>
    public OptimizerHelper Create(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (NormAndBias is not NormAndBiasGroup group) return CreateOneGroup(parameters);
        Parameter[] all = parameters.ToArray();
        Parameter[] weights = all.Where(p => !NormAndBiasGroup.Contains(p)).ToArray();
        Parameter[] normAndBias = all.Where(NormAndBiasGroup.Contains).ToArray();
        double rate = LearningRate * group.LearningRateScale;
        return Kind switch
        {
            OptimizerKind.Sgd => optim.SGD(
                [new SGD.ParamGroup(weights, LearningRate, Momentum, 0, WeightDecay, Nesterov, false), new SGD.ParamGroup(normAndBias, rate, Momentum, 0, group.WeightDecay, Nesterov, false)],
                LearningRate, Momentum, 0, WeightDecay, Nesterov),
            OptimizerKind.Adam => optim.Adam(
                [new Adam.ParamGroup(weights, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, false, false), new Adam.ParamGroup(normAndBias, rate, Beta1, Beta2, Epsilon, group.WeightDecay, false, false)],
                LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(
                [new AdamW.ParamGroup(weights, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, false, false), new AdamW.ParamGroup(normAndBias, rate, Beta1, Beta2, Epsilon, group.WeightDecay, false, false)],
                LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            OptimizerKind.Adamax => optim.Adamax(
                [new Adamax.ParamGroup(weights, LearningRate, Beta1, Beta2, Epsilon, WeightDecay), new Adamax.ParamGroup(normAndBias, rate, Beta1, Beta2, Epsilon, group.WeightDecay)],
                LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            OptimizerKind.Adadelta => optim.Adadelta(
                [new Adadelta.ParamGroup(weights, LearningRate, Rho, Epsilon, WeightDecay, false), new Adadelta.ParamGroup(normAndBias, rate, Rho, Epsilon, group.WeightDecay, false)],
                LearningRate, Rho, Epsilon, WeightDecay),
            _ => throw new InvalidOptionException("OptimizerSettings.Kind", Kind, "unknown optimizer"),
        };
    }

    OptimizerHelper CreateOneGroup(IEnumerable<Parameter> parameters) => Kind switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, LearningRate, Momentum, 0, WeightDecay, Nesterov),
        OptimizerKind.Adam => optim.Adam(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
        OptimizerKind.Adamax => optim.Adamax(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
        OptimizerKind.Adadelta => optim.Adadelta(parameters, LearningRate, Rho, Epsilon, WeightDecay),
        _ => throw new InvalidOptionException("OptimizerSettings.Kind", Kind, "unknown optimizer"),
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        OptimizerKind.Sgd => FormattableString.Invariant($"SGD(lr {LearningRate}, momentum {Momentum}{(Nesterov ? ", nesterov" : "")}, weight decay {WeightDecay}{Groups})"),
        OptimizerKind.Adadelta => FormattableString.Invariant($"Adadelta(lr {LearningRate}, rho {Rho}, eps {Epsilon}, weight decay {WeightDecay}{Groups})"),
        _ => FormattableString.Invariant($"{Kind}(lr {LearningRate}, betas ({Beta1}, {Beta2}), eps {Epsilon}, weight decay {WeightDecay}{Groups})"),
    };

    string Groups => NormAndBias is null ? "" : "; " + NormAndBias;
}
