using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Recipes;

/// <summary>A published training recipe: the model, how the pixels are scaled, and the trainer options.</summary>
/// <param name="Model">The model name, as <see cref="Models.ModelRegistry"/> resolves it.</param>
/// <param name="Normalization">How batches are normalised.</param>
/// <param name="Options">Optimizer, schedule, epochs, batch size and augmentation.</param>
/// <param name="Source">Where the recipe comes from, and its published figure.</param>
public sealed record BaselineRecipe(string Model, ImageNormalization Normalization, TrainerOptions Options, string Source);

/// <summary>The recipes of the published baselines, each with its source in <see cref="BaselineRecipe.Source"/>.</summary>
public static class BaselineRecipes
{
    /// <summary>
    /// The recipe for <paramref name="model"/>: the seed CNN's, the seed MobileNet's, or the Random Erasing
    /// paper's for Wide ResNets and ResNets.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no published recipe; the message lists the families that do.</exception>
    public static BaselineRecipe For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string name = model.Trim().ToLowerInvariant();
        if (name is "cnn" or "cnn-torchbn")
        {
            // Seed CNN (DenseAI baseline/cnn): /255 only, Adadelta with Keras defaults, batch 100, 100 epochs,
            // learning rate x0.9 after 10 epochs without a better validation loss (Keras ReduceLROnPlateau).
            return new BaselineRecipe(name, ImageNormalization.None, new TrainerOptions
            {
                Epochs = 100,
                BatchSize = 100,
                Optimizer = OptimizerOptions.KerasAdadelta(),
                Schedule = ScheduleOptions.Plateau(0.9, 10, MonitoredMetric.ValidationLoss),
            }, "Seed CNN (Kaggle 'Fashion MNIST 94% Accuracy using CNN Keras', DenseAI port): best test accuracy 0.9415 over 100 epochs");
        }
        if (name.StartsWith("mobilenet", StringComparison.Ordinal))
        {
            return new BaselineRecipe(name, ImageNormalization.None, new TrainerOptions
            {
                Epochs = 50,
                BatchSize = 100,
                Optimizer = OptimizerOptions.Adam(1e-3),
                Augmentation = new AugmentationPipeline(new RandomHorizontalFlip()),
            }, "Seed MobileNet v1 from scratch (DenseAI baseline/mobilenet): 0.9322");
        }
        if (name.StartsWith("wrn-", StringComparison.Ordinal) || name.StartsWith("resnet-", StringComparison.Ordinal))
        {
            return new BaselineRecipe(name, ImageNormalization.FashionMnist, new TrainerOptions
            {
                Epochs = 300,
                BatchSize = 128,
                Optimizer = OptimizerOptions.Sgd(0.1, 0.9, 5e-4),
                Schedule = ScheduleOptions.MultiStep([150, 225], 0.1),
                Augmentation = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist),
            }, "Random Erasing (Zhong et al. 2017, fashionmnist.py): WRN-28-10 + RE 0.9635 (paper), 0.9580 on the fixed data");
        }
        throw new ArgumentException(
            $"No published recipe for '{model}'. Recipes exist for cnn, mobilenet*, wrn-* and resnet-*; set the options yourself for others.",
            nameof(model));
    }
}
