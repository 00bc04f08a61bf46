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
        foreach ((string name, double value) in record.Metrics) _writer.add_scalar(Tag(name), (float)value, record.Epoch);
    }

    /// <summary>
    /// <c>train_loss</c> becomes <c>loss/train</c>, so that TensorBoard draws the train, validation and monitor curves of
    /// a figure in one section; other names stay as they are.
    /// </summary>
    internal static string Tag(string metric)
    {
        foreach (string family in (string[])["train", "validation", "monitor"])
        {
            if (metric.StartsWith(family + "_", StringComparison.Ordinal)) return $"{metric[(family.Length + 1)..]}/{family}";
        }
        return metric;
    }
}
