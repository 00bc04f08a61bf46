using System.Text.Json.Serialization;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// What one epoch did, as named figures (like Keras' <c>History</c>): the trainer's own (<see cref="EpochMetrics"/>)
/// and any that a callback added in <see cref="ITrainingCallback.OnEpochMeasured"/>. Every consumer of the history
/// (CSV, JSON, TensorBoard, progress, reports, plots) goes through the names, so a new figure needs no change there.
/// Epochs are numbered from 1.
/// </summary>
[JsonConverter(typeof(EpochRecordJsonConverter))]
public sealed class EpochRecord
{
    readonly Dictionary<string, double> _metrics;

    /// <summary>Creates the record of epoch <paramref name="epoch"/> with <paramref name="metrics"/>, kept in their order.</summary>
    /// <exception cref="ArgumentException">The epoch is below 1, a name is empty or repeated.</exception>
    public EpochRecord(int epoch, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs are numbered from 1.");
        _metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string name, double value) in metrics)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A metric needs a name.", nameof(metrics));
            if (!_metrics.TryAdd(name, value)) throw new ArgumentException($"The metric '{name}' appears twice in epoch {epoch}.", nameof(metrics));
        }
        Epoch = epoch;
    }

    /// <summary>The epoch number, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The figures by name, in the order they were recorded (a dictionary that is never removed from keeps it).</summary>
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>The figure called <paramref name="name"/>, or null when this epoch did not measure it.</summary>
    public double? this[string name] => _metrics.TryGetValue(name, out double value) ? value : null;

    /// <summary>Mean training loss over the epoch's batches (with dropout, augmentation and label smoothing).</summary>
    public double TrainLoss => this[EpochMetrics.TrainLoss] ?? double.NaN;

    /// <summary>Fraction of training samples the model got right while training on them.</summary>
    public double TrainAccuracy => this[EpochMetrics.TrainAccuracy] ?? double.NaN;

    /// <summary>Mean cross-entropy of the logits on the validation set in evaluation mode, if there is one.</summary>
    public double? ValidationLoss => this[EpochMetrics.ValidationLoss];

    /// <summary>Accuracy on the validation set, if there is one.</summary>
    public double? ValidationAccuracy => this[EpochMetrics.ValidationAccuracy];

    /// <summary>Cross-entropy on the monitor-only set (never used for decisions), if there is one.</summary>
    public double? MonitorLoss => this[EpochMetrics.MonitorLoss];

    /// <summary>Accuracy on the monitor-only set, if there is one.</summary>
    public double? MonitorAccuracy => this[EpochMetrics.MonitorAccuracy];

    /// <summary>The learning rate at the epoch's first step.</summary>
    public double LearningRate => this[EpochMetrics.LearningRate] ?? double.NaN;

    /// <summary>Wall time of the epoch's training steps (evaluation excluded).</summary>
    public double Seconds => this[EpochMetrics.Seconds] ?? double.NaN;

    /// <summary>Training images per second of wall time.</summary>
    public double ImagesPerSecond => this[EpochMetrics.ImagesPerSecond] ?? double.NaN;

    /// <summary>The value of <paramref name="metric"/> in this epoch, or null when it was not measured.</summary>
    public double? Value(MonitoredMetric metric) => this[metric.MetricName()];

    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}: " + string.Join(", ", _metrics.Select(m => FormattableString.Invariant($"{m.Key} {m.Value:G6}")));
}

/// <summary>The names of the figures <see cref="Trainer"/> records for every epoch (the history's CSV columns and JSON keys).</summary>
public static class EpochMetrics
{
    /// <summary>Mean training loss.</summary>
    public const string TrainLoss = "train_loss";

    /// <summary>Training accuracy.</summary>
    public const string TrainAccuracy = "train_accuracy";

    /// <summary>Validation cross-entropy.</summary>
    public const string ValidationLoss = "validation_loss";

    /// <summary>Validation accuracy.</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary>Monitor-only cross-entropy.</summary>
    public const string MonitorLoss = "monitor_loss";

    /// <summary>Monitor-only accuracy.</summary>
    public const string MonitorAccuracy = "monitor_accuracy";

    /// <summary>Learning rate at the epoch's first step.</summary>
    public const string LearningRate = "learning_rate";

    /// <summary>Seconds of training steps.</summary>
    public const string Seconds = "seconds";

    /// <summary>Training images per second.</summary>
    public const string ImagesPerSecond = "images_per_second";
}
