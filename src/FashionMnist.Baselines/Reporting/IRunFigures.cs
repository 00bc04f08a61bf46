using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// Draws the pictures of a run folder. The core library writes no images (it depends on TorchSharp alone); the
/// <c>FashionMnist.Baselines.Plots</c> package implements this with ScottPlot (<c>RunFigures</c>). Each method writes
/// its PNGs into <c>directory</c> and returns them with their captions, paths relative to the folder.
/// </summary>
public interface IRunFigures
{
    /// <summary>The learning curves of <paramref name="history"/>.</summary>
    IReadOnlyList<RunImage> DrawHistory(string title, TrainingHistory history, string directory);

    /// <summary>The confusion matrix and the misclassified images of <paramref name="predictions"/>, whose indices point into <paramref name="test"/>.</summary>
    IReadOnlyList<RunImage> DrawTestResults(string title, string modelName, Predictions predictions, IDataset test, string directory);

    /// <summary>
    /// Some training images before and after <paramref name="augmentation"/>, written as
    /// <see cref="RunFolder.AugmentedSamplesFile"/> (the file <see cref="RunFolder.Rebuild"/> looks for later).
    /// </summary>
    IReadOnlyList<RunImage> DrawAugmentation(IDataset train, Augmentation.IBatchTransform augmentation, long seed, string directory);
}
