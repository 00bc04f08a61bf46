namespace FashionMnist.Baselines.Reporting;

/// <summary>One finished run on a <see cref="Leaderboard"/>.</summary>
/// <param name="Name">The run folder's name.</param>
/// <param name="Folder">The run folder's full path.</param>
/// <param name="Model">The model name.</param>
/// <param name="Recipe">The recipe's short name on this leaderboard.</param>
/// <param name="Seed">The seed, where run.json records one.</param>
/// <param name="TestAccuracy">The honest test accuracy (the first test entry of metrics.json).</param>
/// <param name="TestedModel">Which model that is, such as "best on validation (epoch 81)" or "final".</param>
/// <param name="FlipAveraged">Whether the test predictions average each image with its mirror image.</param>
/// <param name="BestValidationAccuracy">The best validation accuracy of any epoch (null without a validation set).</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TrainingSeconds">The sum of the epochs' times.</param>
/// <param name="ImagesPerSecond">Training images per second over the whole run.</param>
/// <param name="Precision">The precision it trained in (float32 unless run.json says otherwise).</param>
public sealed record LeaderboardRun(
    string Name, string Folder, string Model, string Recipe, int? Seed, double TestAccuracy, string TestedModel, bool FlipAveraged,
    double? BestValidationAccuracy, int Epochs, double TrainingSeconds, double ImagesPerSecond, string Precision);
