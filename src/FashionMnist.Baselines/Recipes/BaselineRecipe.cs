using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Recipes;

/// <summary>
/// A published training recipe: the model, its preprocessing, and the trainer options. Like torchvision's weights
/// with their <c>transforms()</c>, the recipe carries the preprocessing its model expects: the normalisation of the
/// batches (<see cref="DataOptions"/>); MobileNet's resize to 56x56 and grey-to-RGB copy happen inside that model.
/// </summary>
/// <param name="Model">The model name, as <see cref="Models.ModelRegistry"/> resolves it.</param>
/// <param name="Normalization">How batches are normalised.</param>
/// <param name="Options">Optimizer, schedule, epochs, batch size and augmentation.</param>
/// <param name="Source">Where the recipe comes from, and its published figure.</param>
public sealed record BaselineRecipe(string Model, ImageNormalization Normalization, TrainerOptions Options, string Source)
{
    /// <summary>
    /// Whether the recipe's figure is tested with predictions averaged over flips and one-pixel shifts
    /// (<see cref="FlipShiftAveragingClassifier"/>): <see cref="RecipeRunner"/> then tests that way unless
    /// <see cref="RunSettings.FlipTestTimeAugmentation"/> asks for flip averaging instead. Set it to false for plain
    /// test predictions. Only the test set is averaged: validation, which selects the epoch, sees plain predictions.
    /// </summary>
    public bool FlipShiftTestTimeAugmentation { get; init; }

    /// <summary>
    /// <paramref name="basis"/> (where and how to find the data) with this recipe's normalisation, so that the loaded
    /// batches are what the model was trained on.
    /// </summary>
    public FashionMnistOptions DataOptions(FashionMnistOptions? basis = null) => (basis ?? new FashionMnistOptions()) with { Normalization = Normalization };

    /// <summary>
    /// The recipe for a run of <paramref name="epochs"/>: a multistep schedule keeps its milestones at the same
    /// fractions of the run (the Random Erasing recipe's 150 and 225 of 300 become 5 and 7 of 10).
    /// </summary>
    public BaselineRecipe WithEpochs(int epochs) => this with
    {
        Options = Options with { Epochs = epochs, Schedule = Options.Schedule.Rescaled(Options.Epochs, epochs) },
    };

    /// <summary>
    /// The recipe with <paramref name="preset"/> augmentation for this recipe's normalisation (crops pad with black in
    /// its units).
    /// </summary>
    public BaselineRecipe WithAugmentation(AugmentationPreset preset, double erasingProbability = 0.5) => this with
    {
        Options = Options with { Augmentation = AugmentationPipeline.Preset(preset, Normalization, erasingProbability) },
    };
}

/// <summary>The recipes of the published baselines, each with its source in <see cref="BaselineRecipe.Source"/>.</summary>
public static class BaselineRecipes
{
    /// <summary>The name of the <see cref="Fast"/> recipe, as <see cref="For"/> and <c>fmb train fast</c> take it.</summary>
    public const string FastName = "fast";

    /// <summary>
    /// The library's own budget recipe: 0.950 honest test accuracy in 30 minutes of training on two CPU cores
    /// (docs/results/README.md, "A fast recipe"). ResNet-9 with widths 32-256 (<see cref="Models.ResNet9"/>), 48 epochs
    /// of batch 256, Nesterov SGD (lr 0.2, momentum 0.9, weight decay 5e-4 on the weights, none on BatchNorm parameters
    /// and biases), a linear warm-up over the first 20% of the steps and a linear decay to 0, label smoothing 0.2,
    /// random crops (4-pixel black padding), flips and Random Erasing (p 0.5, as the Random Erasing recipe), an
    /// exponential moving average of the weights (decay 0.99 every 5 steps), channels-last, bfloat16 compute (float32
    /// where the CPU has no BF16 units: slower, same recipe), and test predictions averaged over flips and one-pixel
    /// shifts (<see cref="BaselineRecipe.FlipShiftTestTimeAugmentation"/>). The ingredients come from Page's DAWNBench
    /// ResNet and Keller Jordan's airbench; each one is a library option usable with any model.
    /// </summary>
    public static BaselineRecipe Fast() => new("resnet9-32", ImageNormalization.FashionMnist, new TrainerOptions
    {
        Epochs = 48,
        BatchSize = 256,
        Optimizer = OptimizerSettings.Sgd(0.2, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(1, 0) },
        Schedule = ScheduleOptions.WarmupLinear(0.2),
        LabelSmoothing = 0.2,
        Augmentation = AugmentationPipeline.Preset(AugmentationPreset.RandomErasing, ImageNormalization.FashionMnist),
        WeightAveraging = new ExponentialMovingAverage(0.99, 5),
        ChannelsLast = true,
        Precision = Precision.BFloat16,
    }, "FashionMnist.Baselines' fast recipe (ResNet-9 after Page 2018 and airbench): 0.950 in 30 minutes on two CPU cores")
    {
        FlipShiftTestTimeAugmentation = true,
    };

    /// <summary>
    /// The recipe for <paramref name="model"/>: the seed CNN's, the seed MobileNet's, the Random Erasing
    /// paper's for Wide ResNets and ResNets, or the <see cref="Fast"/> recipe for <c>fast</c> and ResNet-9s.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no published recipe; the message lists the families that do.</exception>
    public static BaselineRecipe For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string name = model.Trim().ToLowerInvariant();
        if (name is "cnn" or "cnn-torchbn")
        {
            // Seed CNN (DenseAI baseline/cnn): /255 only, Adadelta with Keras defaults, batch 100, 100 epochs, and the
            // seed's own rate rule (AdvancedLearnignRateScheduler on accuracy, patience 10, x0.9). The seed watched the
            // test accuracy; here it watches the validation accuracy, so that the test set is used once.
            return new BaselineRecipe(name, ImageNormalization.None, new TrainerOptions
            {
                Epochs = 100,
                BatchSize = 100,
                Optimizer = OptimizerSettings.KerasAdadelta(),
                Schedule = ScheduleOptions.DecayWhenStalled(0.9, 10, MonitoredMetric.ValidationAccuracy),
            }, "Seed CNN (Kaggle 'Fashion MNIST 94% Accuracy using CNN Keras', DenseAI port): best test accuracy 0.9415 over 100 epochs");
        }
        if (name.StartsWith("mobilenet", StringComparison.Ordinal))
        {
            return new BaselineRecipe(name, ImageNormalization.None, new TrainerOptions
            {
                Epochs = 50,
                BatchSize = 100,
                Optimizer = OptimizerSettings.Adam(1e-3),
                Augmentation = new AugmentationPipeline(new RandomHorizontalFlip()),
            }, "Seed MobileNet v1 from scratch (DenseAI baseline/mobilenet): 0.9322");
        }
        if (name.StartsWith("wrn-", StringComparison.Ordinal) || name.StartsWith("resnet-", StringComparison.Ordinal))
        {
            return new BaselineRecipe(name, ImageNormalization.FashionMnist, new TrainerOptions
            {
                Epochs = 300,
                BatchSize = 128,
                Optimizer = OptimizerSettings.Sgd(0.1, 0.9, 5e-4),
                Schedule = ScheduleOptions.MultiStep([150, 225], 0.1),
                Augmentation = AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist),
            }, "Random Erasing (Zhong et al. 2017, fashionmnist.py): WRN-28-10 + RE 0.9635 (paper), 0.9580 on the fixed data");
        }
        if (name == FastName || name.StartsWith("resnet9-", StringComparison.Ordinal))
        {
            // Another width gets the same options, but not the figure, which is resnet9-32's.
            BaselineRecipe fast = Fast();
            return name == FastName || name == fast.Model ? fast
                : fast with { Model = name, Source = $"The fast recipe's options applied to {name} (its 0.950 in 30 minutes is resnet9-32's)" };
        }
        throw new ArgumentException(
            $"No published recipe for '{model}'. Recipes exist for fast, cnn, mobilenet*, wrn-*, resnet-* and resnet9-*; set the options yourself for others.",
            nameof(model));
    }
}
