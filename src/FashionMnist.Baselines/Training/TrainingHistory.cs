using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FashionMnist.Baselines.Training;

/// <summary>The epochs of a run, in order, with CSV and JSON forms.</summary>
public sealed class TrainingHistory
{
    readonly List<EpochRecord> _epochs = [];

    /// <summary>Creates an empty history, or one holding <paramref name="epochs"/>.</summary>
    public TrainingHistory(IEnumerable<EpochRecord>? epochs = null)
    {
        if (epochs != null) _epochs.AddRange(epochs);
    }

    /// <summary>The epochs so far.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Appends an epoch.</summary>
    public void Add(EpochRecord record) => _epochs.Add(record ?? throw new ArgumentNullException(nameof(record)));

    /// <summary>The epoch with the best value of <paramref name="metric"/> (the first one on ties), or null when none measured it.</summary>
    public EpochRecord? Best(MonitoredMetric metric)
    {
        EpochRecord? best = null;
        foreach (EpochRecord e in _epochs)
        {
            if (e.Value(metric) is double v && metric.Improves(v, best?.Value(metric))) best = e;
        }
        return best;
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The history as JSON (an array of epochs).</summary>
    public string ToJson() => JsonSerializer.Serialize(_epochs, Json);

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    public static TrainingHistory FromJson(string json) =>
        new(JsonSerializer.Deserialize<List<EpochRecord>>(json, Json) ?? throw new JsonException("The history JSON is empty."));

    /// <summary>
    /// The names of every figure in the history, in the order they first appear (the trainer's own first, then those
    /// callbacks added).
    /// </summary>
    public IReadOnlyList<string> MetricNames => _epochs.SelectMany(e => e.Metrics.Keys).Distinct().ToArray();

    /// <summary>The history as CSV: <c>epoch</c>, then a column per figure (<see cref="MetricNames"/>); missing values are empty.</summary>
    public string ToCsv()
    {
        IReadOnlyList<string> names = MetricNames;
        var csv = new StringBuilder("epoch");
        foreach (string name in names) csv.Append(',').Append(name);
        csv.Append('\n');
        foreach (EpochRecord e in _epochs)
        {
            csv.Append(e.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (string name in names) csv.Append(',').Append(e[name]?.ToString("R", CultureInfo.InvariantCulture) ?? "");
            csv.Append('\n');
        }
        return csv.ToString();
    }
}
