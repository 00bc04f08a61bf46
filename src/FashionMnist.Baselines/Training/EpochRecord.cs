namespace FashionMnist.Baselines.Training;

/// <summary>What one epoch did. Epochs are numbered from 1.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (with dropout, augmentation and label smoothing).</param>
/// <param name="TrainAccuracy">Fraction of training samples the model got right while training on them.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation set in evaluation mode, if there is one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set, if there is one.</param>
/// <param name="MonitorLoss">Loss on the monitor-only set (never used for decisions), if there is one.</param>
/// <param name="MonitorAccuracy">Accuracy on the monitor-only set, if there is one.</param>
/// <param name="LearningRate">The learning rate at the epoch's first step.</param>
/// <param name="Seconds">Wall time of the epoch's training steps (evaluation excluded).</param>
/// <param name="ImagesPerSecond">Training images per second of wall time.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double? MonitorLoss,
    double? MonitorAccuracy,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond)
{
    /// <summary>The value of <paramref name="metric"/> in this epoch, or null when it was not measured.</summary>
    public double? Value(MonitoredMetric metric) => metric switch
    {
        MonitoredMetric.ValidationLoss => ValidationLoss,
        MonitoredMetric.ValidationAccuracy => ValidationAccuracy,
        _ => TrainLoss,
    };
}
