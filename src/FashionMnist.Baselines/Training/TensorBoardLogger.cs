using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace FashionMnist.Baselines.Training;

/// <summary>Writes each epoch's figures as TensorBoard scalars (TorchSharp's SummaryWriter, which writes each event as it comes) into a log folder.</summary>
public sealed class TensorBoardLogger(string logDirectory) : ITrainingCallback
{
    SummaryWriter? _writer;

    /// <summary>The TensorBoard log folder.</summary>
    public string LogDirectory { get; } = string.IsNullOrEmpty(logDirectory) ? throw new ArgumentException("A directory is needed.", nameof(logDirectory)) : logDirectory;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        _writer ??= SummaryWriter(LogDirectory);
        void Add(string tag, double? value)
        {
            if (value is double v) _writer.add_scalar(tag, (float)v, record.Epoch);
        }
        Add("loss/train", record.TrainLoss);
        Add("accuracy/train", record.TrainAccuracy);
        Add("loss/validation", record.ValidationLoss);
        Add("accuracy/validation", record.ValidationAccuracy);
        Add("loss/monitor", record.MonitorLoss);
        Add("accuracy/monitor", record.MonitorAccuracy);
        Add("learning_rate", record.LearningRate);
        Add("images_per_second", record.ImagesPerSecond);
    }
}
