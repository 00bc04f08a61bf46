namespace FashionMnist.Baselines.Training;

/// <summary>How the learning rate changes during training.</summary>
public enum ScheduleKind
{
    /// <summary>The optimizer's learning rate throughout.</summary>
    Constant,
    /// <summary>Multiplied by gamma every <c>StepSize</c> epochs.</summary>
    Step,
    /// <summary>Multiplied by gamma at each milestone epoch (the Random Erasing recipe: 0.1 at 150 and 225).</summary>
    MultiStep,
    /// <summary>Cosine annealing from the learning rate to <c>MinLearningRate</c> over all steps.</summary>
    Cosine,
    /// <summary>One-cycle (Smith 2018): cosine warm-up from max/25 to <c>MaxLearningRate</c>, then cosine decay to max/25e4.</summary>
    OneCycle,
    /// <summary>
    /// Multiplied by <c>Factor</c> once <c>Patience</c> epochs in a row have brought no better <c>Monitor</c> value by
    /// more than <c>MinDelta</c> (Keras' ReduceLROnPlateau: the reduction comes at the Patience-th such epoch).
    /// </summary>
    Plateau,

    /// <summary>
    /// The seed CNN's rule (DenseAI <c>base_utils.AdvancedLearnignRateScheduler</c>): an epoch with a strictly better
    /// <c>Monitor</c> value resets a counter to 0; any other epoch first multiplies the rate by <c>Factor</c> and
    /// resets the counter when the counter has reached <c>Patience</c>, and then adds 1 to it. No minimum delta. So
    /// the first reduction comes at the (Patience + 1)-th epoch in a row without a new best, and further ones every
    /// Patience epochs while none comes.
    /// </summary>
    DecayWhenStalled,

    /// <summary>
    /// Linear warm-up, then linear decay (the fast-training recipes' shape, as airbench's): the rate climbs in a
    /// straight line from <c>lr / W</c> at the first step to the learning rate at step W = <c>WarmupFraction</c> of
    /// all steps (rounded to whole steps), then falls in a straight line to <c>MinLearningRate</c>, which it would reach one step after the last.
    /// </summary>
    WarmupLinear,
}
