using System.Text.Json;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Reporting;

/// <summary>Every figure a published report gives for a model is recomputed from the predictions file published with it.</summary>
public sealed class PublishedRunsTests
{
    public static TheoryData<string, string, int> PublishedPredictions()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string run in Directory.GetDirectories(Repository.File("docs", "results")).Order())
        {
            using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
            JsonElement[] cards = metrics.RootElement.GetProperty("test").EnumerateArray().ToArray();
            // The first card is the model whose predictions are predictions-test.csv; a second one is the final model's.
            data.Add(Path.GetFileName(run), "predictions-test.csv", 0);
            if (cards.Length > 1 && File.Exists(Path.Combine(run, "predictions-test-final.csv"))) data.Add(Path.GetFileName(run), "predictions-test-final.csv", 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PublishedPredictions))]
    public void A_published_score_is_the_score_of_its_published_predictions(string run, string file, int card)
    {
        string folder = Repository.File("docs", "results", run);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        JsonElement published = metrics.RootElement.GetProperty("test")[card];

        using Predictions predictions = PredictionsCsv.Read(Path.Combine(folder, file), FashionMnistFiles.ClassNames);
        ScoreCard score = ScoreCard.From("recomputed", predictions);

        score.Accuracy.Should().Be(published.GetProperty("accuracy").GetDouble());
        score.LogLoss.Should().BeApproximately(published.GetProperty("logLoss").GetDouble(), 1e-9);
        score.Report.Should().Be(published.GetProperty("report").GetString());
    }
}
