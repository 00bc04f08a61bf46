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
    /// <summary>Multiplied by <c>Factor</c> after <c>Patience</c> epochs without a new best (Keras' ReduceLROnPlateau; the seed's rule).</summary>
    Plateau,
}
