using System.Text.Json;
using System.Text.Json.Serialization;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// An epoch as one flat JSON object, <c>{"epoch": 3, "train_loss": 0.31, ...}</c>. Reads the files written before
/// figures were keyed by name too (camelCase properties such as <c>trainLoss</c>, with nulls for figures not
/// measured), so older histories and checkpoints keep loading.
/// </summary>
internal sealed class EpochRecordJsonConverter : JsonConverter<EpochRecord>
{
    public override EpochRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("An epoch must be a JSON object.");
        int? epoch = null;
        var metrics = new List<KeyValuePair<string, double>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString() ?? throw new JsonException("An epoch property has no name.");
            reader.Read();
            if (name.Equals("epoch", StringComparison.OrdinalIgnoreCase))
            {
                epoch = reader.GetInt32();
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                metrics.Add(new(Current(name), reader.GetDouble()));
            }
            else if (reader.TokenType == JsonTokenType.String
                     && double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double special))
            {
                metrics.Add(new(Current(name), special)); // NaN or infinity, which JSON numbers cannot hold
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                throw new JsonException($"The epoch figure '{name}' must be a number or null; got {reader.TokenType}.");
            }
        }
        if (epoch is not int number || number < 1) throw new JsonException("An epoch object needs \"epoch\" (1 or more).");
        return new EpochRecord(number, metrics);
    }

    public override void Write(Utf8JsonWriter writer, EpochRecord value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("epoch", value.Epoch);
        foreach ((string name, double metric) in value.Metrics)
        {
            writer.WritePropertyName(name);
            if (double.IsFinite(metric)) writer.WriteNumberValue(metric);
            else writer.WriteStringValue(metric.ToString(System.Globalization.CultureInfo.InvariantCulture)); // JSON has no NaN
        }
        writer.WriteEndObject();
    }

    /// <summary>The names the files written before 0.2.0 used, and today's; every other name is kept as it is.</summary>
    static readonly Dictionary<string, string> LegacyNames = new(StringComparer.Ordinal)
    {
        ["trainLoss"] = EpochMetrics.TrainLoss, ["trainAccuracy"] = EpochMetrics.TrainAccuracy,
        ["validationLoss"] = EpochMetrics.ValidationLoss, ["validationAccuracy"] = EpochMetrics.ValidationAccuracy,
        ["monitorLoss"] = EpochMetrics.MonitorLoss, ["monitorAccuracy"] = EpochMetrics.MonitorAccuracy,
        ["learningRate"] = EpochMetrics.LearningRate, ["seconds"] = EpochMetrics.Seconds, ["imagesPerSecond"] = EpochMetrics.ImagesPerSecond,
    };

    static string Current(string name) => LegacyNames.GetValueOrDefault(name, name);
}
