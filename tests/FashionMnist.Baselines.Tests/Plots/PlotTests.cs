using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Tests.Training;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Plots;

/// <summary>
/// Every plot renders headless to a PNG of the expected size with something drawn on it (the pictures themselves
/// were checked by eye).
/// </summary>
public sealed class PlotTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static (int Width, int Height) Size(string path)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path);
        bitmap.Should().NotBeNull($"{path} is a PNG");
        // A blank or single-colour canvas of the right size must not pass: text, lines, colour maps and images give
        // hundreds of colours (anti-aliasing included).
        bitmap.Pixels.Distinct().Count().Should().BeGreaterThan(50, $"{path} has a picture on it");
        return (bitmap.Width, bitmap.Height);
    }

    [Fact]
    public void Learning_curves_and_confusion_matrix_render()
    {
        EpochRecord[] history = Enumerable.Range(1, 5)
            .Select(e => new EpochRecord(e, new Dictionary<string, double>
            {
                [EpochMetrics.TrainLoss] = 1.0 / e, [EpochMetrics.TrainAccuracy] = 0.8 + e * 0.02, [EpochMetrics.ValidationLoss] = 1.1 / e,
                [EpochMetrics.ValidationAccuracy] = 0.79 + e * 0.02, [EpochMetrics.MonitorAccuracy] = 0.78 + e * 0.02,
            })).ToArray();
        ConfusionMatrix matrix = ConfusionMatrix.From(FashionMnistFiles.ClassNames, [0, 1, 2, 6, 6, 9], [0, 1, 6, 6, 0, 9]);

        LearningCurvePlot.Save(history, "accuracy", _dir.Combine("accuracy.png"), "accuracy");
        LearningCurvePlot.Save(history, "loss", _dir.Combine("loss.png"));
        ConfusionMatrixPlot.Save(matrix, _dir.Combine("cm.png"), "confusion");

        Size(_dir.Combine("accuracy.png")).Should().Be((900, 560));
        Size(_dir.Combine("loss.png")).Should().Be((900, 560));
        Size(_dir.Combine("cm.png")).Should().Be((900, 820));
        Directory.GetFiles(_dir.Path).Should().HaveCount(3, "no temporary files stay behind");
    }

    [Fact]
    public void Curves_over_training_time_render_and_refuse_runs_without_times()
    {
        static TrainingHistory Run(double secondsPerEpoch, int epochs) => new(Enumerable.Range(1, epochs).Select(e => new EpochRecord(e,
            new Dictionary<string, double> { [EpochMetrics.ValidationAccuracy] = 0.9 + 0.005 * e, [EpochMetrics.Seconds] = secondsPerEpoch })));

        TrainingTimeCurvePlot.Save([("fast", Run(40, 10)), ("slow", Run(90, 8))], _dir.Combine("time.png"), target: 0.94);

        Size(_dir.Combine("time.png")).Should().Be((900, 560));
        var untimed = new TrainingHistory([new EpochRecord(1, new Dictionary<string, double> { [EpochMetrics.ValidationAccuracy] = 0.9 })]);
        FluentActions.Invoking(() => TrainingTimeCurvePlot.Save([("untimed", untimed)], _dir.Combine("x.png")))
            .Should().Throw<ArgumentException>().WithMessage("*'untimed'*validation_accuracy*epoch times*");
        FluentActions.Invoking(() => TrainingTimeCurvePlot.Save([], _dir.Combine("x.png"))).Should().Throw<ArgumentException>();
        File.Exists(_dir.Combine("x.png")).Should().BeFalse();
    }

    [Fact]
    public void Misclassified_and_augmented_grids_render()
    {
        using InMemoryDataset data = SyntheticData.Bars(40, 1);
        using Tensor logits = randn(40, 10, generator: new TorchSharp.torch.Generator(1));
        using var predictions = new Predictions(nn.functional.softmax(logits, 1), data.Labels.clone(), arange(40), data.ClassNames);
        using Tensor indices = arange(16);
        using Batch batch = data.GetBatch(indices, CPU);
        using Tensor augmented = AugmentationPipeline.RandomErasingRecipe(data.Normalization).Apply(batch.Images, new TorchSharp.torch.Generator(2));
        using Tensor originals = data.Images.index_select(0, indices);

        MisclassifiedGrid.Save(predictions, data, _dir.Combine("wrong.png"), "wrong", count: 8, columns: 4);
        AugmentedSamplesGrid.Save(originals, augmented, data.Normalization, _dir.Combine("aug.png"), "augmented");

        Size(_dir.Combine("wrong.png")).Should().Be((4 * 330 + 24, 70 + 2 * 190 + 12));
        Size(_dir.Combine("aug.png")).Width.Should().Be(24 + 8 * 92);
    }
}
