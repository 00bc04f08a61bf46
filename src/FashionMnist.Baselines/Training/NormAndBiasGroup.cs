namespace FashionMnist.Baselines.Training;

/// <summary>
/// A second parameter group of the optimizer for the parameters with fewer than two dimensions: BatchNorm's weights
/// and biases and every layer's bias. They scale activations rather than detect patterns, so weight decay on them
/// mostly shrinks the network's gain, and fast-training recipes (airbench, hlb-CIFAR10, Page's DAWNBench ResNet) give
/// them no decay and a larger learning rate. Set through <see cref="OptimizerSettings.NormAndBias"/>.
/// </summary>
/// <param name="LearningRateScale">Their learning rate as a multiple of the schedule's rate at every step (finite, > 0).</param>
/// <param name="WeightDecay">Their weight decay, instead of <see cref="OptimizerSettings.WeightDecay"/> (finite, >= 0).</param>
public sealed record NormAndBiasGroup(double LearningRateScale = 1, double WeightDecay = 0)
{
    /// <summary>Whether <paramref name="parameter"/> belongs to this group: fewer than two dimensions.</summary>
    public static bool Contains(TorchSharp.torch.Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.dim() < 2;
    }

    internal void AddErrors(OptionChecks checks, string prefix)
    {
        checks.Check(double.IsFinite(LearningRateScale) && LearningRateScale > 0, $"{prefix}.LearningRateScale", LearningRateScale, "expected a finite number > 0");
        checks.Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"{prefix}.WeightDecay", WeightDecay, "expected a finite number >= 0");
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"norm and bias parameters: lr x{LearningRateScale}, weight decay {WeightDecay}");
}
