using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Plots;

/// <summary>
/// The pictures of a run folder, for <see cref="RunFolder.Rebuild"/> and the recipe runner: accuracy and loss curves,
/// the test confusion matrix, the most confidently wrong test images and augmented training samples.
/// </summary>
public sealed class RunFigures : IRunFigures
{
    /// <inheritdoc />
    public IReadOnlyList<RunImage> DrawHistory(string title, TrainingHistory history, string directory)
    {
        ArgumentNullException.ThrowIfNull(history);
        var images = new List<RunImage>();
        foreach ((string metric, string file, string caption) in new[] { ("accuracy", "accuracy.png", "Accuracy per epoch"), ("loss", "loss.png", "Loss per epoch") })
        {
            if (!history.MetricNames.Any(n => n == metric || n.EndsWith("_" + metric, StringComparison.Ordinal))) continue;
            LearningCurvePlot.Save(history, metric, Path.Combine(directory, file), $"{title}: {metric}");
            images.Add(new RunImage(caption, file));
        }
        return images;
    }

    /// <inheritdoc />
    public IReadOnlyList<RunImage> DrawTestResults(string title, string modelName, Predictions predictions, IDataset test, string directory)
    {
        ConfusionMatrixPlot.Save(predictions.ConfusionMatrix(), Path.Combine(directory, "confusion-matrix.png"), $"{title}: test confusion matrix ({modelName})");
        MisclassifiedGrid.Save(predictions, test, Path.Combine(directory, "misclassified.png"), $"{title}: most confidently wrong test images", 16, 4);
        return [new RunImage("Confusion matrix on the test set", "confusion-matrix.png"),
                new RunImage("Misclassified test images with their predicted probabilities", "misclassified.png")];
    }

    /// <inheritdoc />
    public IReadOnlyList<RunImage> DrawAugmentation(IDataset train, IBatchTransform augmentation, long seed, string directory)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(augmentation);
        using var scope = NewDisposeScope();
        using Tensor indices = arange(Math.Min(16, train.Count));
        using Batch batch = train.GetBatch(indices, CPU);
        using var generator = new Generator((ulong)seed);
        Tensor augmented = augmentation.Apply(batch.Images, generator);
        AugmentedSamplesGrid.Save(train.Images.index_select(0, indices), augmented, train.Normalization, Path.Combine(directory, RunFolder.AugmentedSamplesFile),
            $"Augmentation: {augmentation}");
        return [new RunImage("Augmented training samples", RunFolder.AugmentedSamplesFile)];
    }
}
