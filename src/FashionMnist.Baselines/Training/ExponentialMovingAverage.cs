namespace FashionMnist.Baselines.Training;

/// <summary>
/// An exponential moving average of the weights (Polyak averaging as the fast-training recipes use it): every
/// <see cref="EverySteps"/> optimizer steps, <c>average = Decay * average + (1 - Decay) * weights</c> for every parameter
/// and every floating-point buffer (BatchNorm's running statistics), starting from the initial weights. The average is
/// what the run evaluates, selects, saves and returns: outside the training batches (validation, callbacks, weights
/// files, the model Fit returns) the model holds the averaged weights; the optimizer keeps stepping the raw ones, and a
/// checkpoint holds both, so a resumed run is exact. Set through <see cref="TrainerOptions.WeightAveraging"/>.
/// </summary>
/// <param name="Decay">The weight of the old average at each update, in (0, 1): 0.99 averages over about 100 updates.</param>
/// <param name="EverySteps">Optimizer steps between updates (1 or more), counted over the whole run.</param>
public sealed record ExponentialMovingAverage(double Decay = 0.99, int EverySteps = 1)
{
    internal void AddErrors(OptionChecks checks, string prefix)
    {
        checks.Check(Decay is > 0 and < 1, $"{prefix}.Decay", Decay, "expected 0 < decay < 1");
        checks.Check(EverySteps >= 1, $"{prefix}.EverySteps", EverySteps, "expected 1 or more steps");
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"EMA(decay {Decay} every {EverySteps} step{(EverySteps == 1 ? "" : "s")})");
}
