using FashionMnist.Baselines.Metrics;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Metrics;

public sealed class MetricsTests
{
    static readonly string[] Names = ["a", "b", "c"];

    [Fact]
    public void Predictions_reject_mismatched_tensors_naming_the_shapes_they_got()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => new Predictions(zeros(4, 3), zeros([4], dtype: ScalarType.Int64), zeros([3], dtype: ScalarType.Int64), Names))
            .Should().Throw<ArgumentException>().WithMessage("*got [4, 3], [4] and [3]*");
        FluentActions.Invoking(() => new Predictions(zeros(4, 2), zeros([4], dtype: ScalarType.Int64), zeros([4], dtype: ScalarType.Int64), Names))
            .Should().Throw<ArgumentException>().WithMessage("Expected probabilities [N, 3]*");
    }

    [Fact]
    public void Most_confidently_wrong_is_ordered_by_the_wrong_class_probability_top_losses_by_the_true_class()
    {
        // Three mistakes (true class a): 0.78 on b with 0.2 left for a; 0.49 on c with 0.02 for a; 0.70 on b with 0.25 for a.
        using var predictions = new Predictions(tensor(new float[] { 0.2f, 0.78f, 0.02f, 0.02f, 0.49f, 0.49f, 0.25f, 0.70f, 0.05f, 0.9f, 0.05f, 0.05f }, [4, 3]),
            tensor(new long[] { 0, 0, 0, 0 }), tensor(new long[] { 0, 1, 2, 3 }), Names);

        Interpretation.MostConfidentlyWrong(predictions).Select(w => w.Index).Should().Equal(0, 2, 1);
        Interpretation.MostConfidentlyWrong(predictions).Select(w => w.PredictedProbability).Should().BeInDescendingOrder("the captions show it");
        Interpretation.TopLosses(predictions).Select(w => w.Index).Should().Equal([1L, 0, 2], "lowest probability on the true class first");
    }

    [Fact]
    public void Per_class_scores_follow_the_definitions()
    {
        // Truth a a a b b c, predicted a a b b c c: a P 1 R 2/3; b P 1/2 R 1/2; c P 1/2 R 1.
        ConfusionMatrix matrix = ConfusionMatrix.From(Names, [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
        var metrics = new ClassificationMetrics(matrix);

        metrics.PerClass[0].Should().Be(new ClassScores(1, 2.0 / 3, 0.8, 3));
        metrics.PerClass[1].Precision.Should().Be(0.5);
        metrics.PerClass[2].Recall.Should().Be(1);
        metrics.Accuracy.Should().BeApproximately(4.0 / 6, 1e-12);
        metrics.MacroAverage.Recall.Should().BeApproximately((2.0 / 3 + 0.5 + 1) / 3, 1e-12);
        metrics.WeightedAverage.Recall.Should().BeApproximately(metrics.Accuracy, 1e-12, "weighted recall is the accuracy");
    }

    [Fact]
    public void Labels_outside_the_classes_are_rejected()
    {
        var matrix = new ConfusionMatrix(Names);

        FluentActions.Invoking(() => matrix.Add([0, 3], [0, 1])).Should().Throw<ArgumentException>().WithMessage("*Label 3*0..2*");
        FluentActions.Invoking(() => matrix.Add(tensor(new long[] { 0, 1 }), tensor(new long[] { 0, -1 })))
            .Should().Throw<ArgumentException>().WithMessage("*0..2*found -1..1*");
        FluentActions.Invoking(() => matrix.Add([0], [0, 1])).Should().Throw<ArgumentException>().WithMessage("*1 true labels but 2*");
    }

    [Fact]
    public void Most_confused_pairs_are_sorted_by_count()
    {
        ConfusionMatrix matrix = ConfusionMatrix.From(Names, [0, 0, 0, 1, 2, 2, 2], [1, 1, 2, 0, 0, 0, 2]);

        Interpretation.MostConfused(matrix, top: 3).Should().Equal(
            new ConfusedPair(0, "a", 1, "b", 2), new ConfusedPair(2, "c", 0, "a", 2), new ConfusedPair(0, "a", 2, "c", 1));
    }

    [Fact]
    public void Top_losses_are_the_most_confidently_wrong_samples()
    {
        using Tensor probabilities = tensor(new float[]
        {
            0.9f, 0.05f, 0.05f, // right
            0.1f, 0.8f, 0.1f,   // wrong, p(true a) 0.1
            0.3f, 0.3f, 0.4f,   // wrong, p(true b) 0.3
            0.02f, 0.97f, 0.01f, // wrong, p(true c) 0.01: the worst
        }, [4, 3]);
        using var predictions = new Predictions(probabilities.clone(), tensor(new long[] { 0, 0, 1, 2 }), tensor(new long[] { 10, 11, 12, 13 }), Names);

        IReadOnlyList<TopLoss> top = Interpretation.TopLosses(predictions, k: 2);

        top.Select(t => t.Index).Should().Equal(13, 11);
        top[0].Predicted.Should().Be(1);
        top[0].PredictedProbability.Should().BeApproximately(0.97, 1e-6);
        top[0].Loss.Should().BeApproximately(-Math.Log(0.01), 1e-5);
        predictions.Accuracy.Should().Be(0.25);
        predictions.ConfusionMatrix()[2, 1].Should().Be(1);
    }
}
