using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>A training callback that hands each batch end and epoch end to the test.</summary>
internal sealed class CallbackProbe : ITrainingCallback
{
    public Action<TrainingContext, int>? OnBatch { get; init; }
    public Action<TrainingContext, EpochRecord>? OnEpoch { get; init; }

    public void OnBatchEnd(TrainingContext context, int batch, double loss, long correct, int size) => OnBatch?.Invoke(context, batch);

    public void OnEpochEnd(TrainingContext context, EpochRecord record) => OnEpoch?.Invoke(context, record);
}
