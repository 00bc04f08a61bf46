using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Recipes;

/// <summary>How <see cref="RecipeRunner"/> runs a recipe: which data, what is tested and how, and extra callbacks.</summary>
public sealed record RunSettings
{
    /// <summary>Train on a stratified random sample of this many training images (null: all 60,000).</summary>
    public int? TrainSubset { get; init; }

    /// <summary>
    /// Images of the training set kept aside, stratified, for validation: model selection uses them only. Null: 5,000,
    /// or a twelfth of <see cref="TrainSubset"/> (the full set's share). 0: no validation; the final model is tested, and
    /// a plateau or decay-when-stalled schedule watches the training loss.
    /// </summary>
    public int? ValidationSize { get; init; }

    /// <summary>Record the test accuracy of every epoch too (never used for a decision), to compare with publications that validated on the test set.</summary>
    public bool MonitorTest { get; init; }

    /// <summary>Test each image averaged with its mirror image (<see cref="Augmentation.FlipAveragingClassifier"/>); validation stays plain.</summary>
    public bool FlipTestTimeAugmentation { get; init; }

    /// <summary>
    /// Test each image averaged over flips and one-pixel shifts, six views (<see cref="Augmentation.FlipShiftAveragingClassifier"/>,
    /// shifted-in pixels black); validation stays plain. Not together with <see cref="FlipTestTimeAugmentation"/>.
    /// A recipe whose figure is six-view averaged (<see cref="BaselineRecipe.FlipShiftTestTimeAugmentation"/>, the fast
    /// recipe's) is tested that way even when this is false: set the recipe's flag to false for plain test predictions.
    /// </summary>
    public bool FlipShiftTestTimeAugmentation { get; init; }

    /// <summary>
    /// The precision of the test evaluations (the final and the selected model). Default float32, whatever the run
    /// trained in: the weights are float32 either way. run.json and the report say which precision trained and which tested.
    /// </summary>
    public Precision TestPrecision { get; init; } = Precision.Float32;

    /// <summary>Where to find (or download) the data; the recipe sets the normalisation.</summary>
    public FashionMnistOptions Data { get; init; } = new();

    /// <summary>
    /// Replace a run the output folder already holds. Without it such a folder is refused
    /// (<see cref="Reporting.RunFolderInUseException"/>), unless the run resumes from a checkpoint in that folder. The old run is set
    /// aside in one rename and deleted once the new run has written its first epoch; a new run that fails before that
    /// puts it back, so the folder never mixes two runs.
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>The command line or call that made the run, for its report.</summary>
    public string Command { get; init; } = "";

    /// <summary>The run's title in its report; the model name when null.</summary>
    public string? Title { get; init; }

    /// <summary>More callbacks, after the run's own checkpoint and history writers.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>The validation images for a training set of <paramref name="trainImages"/>.</summary>
    internal int ValidationImages(int trainImages) => ValidationSize ?? (TrainSubset is not null ? trainImages / 12 : 5_000);
}
