namespace FashionMnist.Baselines.Training;

/// <summary>A progress report from <see cref="Trainer"/>: after each batch and after each epoch.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="Accuracy">Training accuracy of the epoch so far.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="Completed">The finished epoch, on the report sent at its end; null on batch reports.</param>
/// <param name="Elapsed">Time since training started (or resumed).</param>
/// <param name="Remaining">Estimated time to the end of the run at the rate so far (evaluation included from the second epoch on); null before the first batch.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond, EpochRecord? Completed,
    TimeSpan Elapsed = default, TimeSpan? Remaining = null);
