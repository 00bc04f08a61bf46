using FashionMnist.Baselines.Data;

namespace FashionMnist.Baselines.Reporting;

/// <summary>What a run folder records about how the run was made (<c>run.json</c>).</summary>
/// <param name="Title">The run's title, such as the model name.</param>
/// <param name="Command">The command line (or call) that made the run.</param>
/// <param name="Model">The model name, as <c>ModelRegistry</c> resolves it.</param>
/// <param name="NormalizationMean">The per-channel means the batches were normalised with.</param>
/// <param name="NormalizationStd">The per-channel standard deviations.</param>
/// <param name="Options">Every setting of the run, as name and value, for the report.</param>
/// <param name="BestEpoch">The epoch selected on validation (0 when there was no validation set).</param>
/// <param name="WallSeconds">Wall time of the whole run.</param>
/// <param name="Environment">Versions and machine.</param>
public sealed record RunRecord(
    string Title, string Command, string Model, float[] NormalizationMean, float[] NormalizationStd,
    Dictionary<string, string> Options, int BestEpoch, double WallSeconds, RunEnvironment Environment)
{
    /// <summary>The option that says whether the test predictions were flip-averaged.</summary>
    public const string TestTimeAugmentationOption = "test-time augmentation";

    /// <summary>The normalisation the run's batches had.</summary>
    public ImageNormalization Normalization => new(NormalizationMean, NormalizationStd);

    /// <summary>Whether the run's test predictions average each image with its mirror image.</summary>
    public bool FlipAveraged => Options.GetValueOrDefault(TestTimeAugmentationOption, "none") != "none";
}
