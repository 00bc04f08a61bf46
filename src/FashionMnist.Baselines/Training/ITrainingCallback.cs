namespace FashionMnist.Baselines.Training;

/// <summary>Hooks into a training run. Every method has an empty default; implement the ones you need.</summary>
public interface ITrainingCallback
{
    /// <summary>Before the first epoch (after a resume, the restored history is already in the context).</summary>
    void OnTrainBegin(TrainingContext context) { }

    /// <summary>Before epoch <see cref="TrainingContext.Epoch"/>.</summary>
    void OnEpochBegin(TrainingContext context) { }

    /// <summary>After each training batch, with its mean loss and its number of correct predictions.</summary>
    void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) { }

    /// <summary>
    /// After each epoch's figures are measured, before they are recorded: add your own figures to
    /// <paramref name="metrics"/> by name (for example <c>metrics["validation_top3"] = ...</c>). They reach the history,
    /// its CSV and JSON, TensorBoard, progress reports, run reports and learning-curve plots like the trainer's own
    /// (<see cref="EpochMetrics"/>); a name in the <c>train_</c>, <c>validation_</c> or <c>monitor_</c> family plots
    /// beside its siblings. Callbacks are called in order, so a later one sees what an earlier one added.
    /// </summary>
    void OnEpochMeasured(TrainingContext context, IDictionary<string, double> metrics) { }

    /// <summary>After each epoch, once it is in the history and the schedule has been updated.</summary>
    void OnEpochEnd(TrainingContext context, EpochRecord record) { }

    /// <summary>After the last epoch, or after an early stop (not after cancellation or an error).</summary>
    void OnTrainEnd(TrainingContext context) { }
}
