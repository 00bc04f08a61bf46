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

    /// <summary>After each epoch, once it is in the history and the schedule has been updated.</summary>
    void OnEpochEnd(TrainingContext context, EpochRecord record) { }

    /// <summary>After the last epoch, or after an early stop (not after cancellation or an error).</summary>
    void OnTrainEnd(TrainingContext context) { }
}
