namespace FashionMnist.Baselines.Reporting;

/// <summary>The runs of one recipe on a <see cref="Leaderboard"/>, with the mean and spread of their test accuracy.</summary>
/// <param name="Name">The recipe's short name: the model, and the settings that tell it from the other recipes compared.</param>
/// <param name="Runs">Its runs, best first.</param>
/// <param name="MeanTestAccuracy">The mean test accuracy.</param>
/// <param name="StandardDeviation">The sample standard deviation (n - 1) of the test accuracy; null for one run.</param>
/// <param name="MinTestAccuracy">The worst run's test accuracy.</param>
/// <param name="MaxTestAccuracy">The best run's test accuracy.</param>
/// <param name="MeanBestValidationAccuracy">The mean of the runs' best validation accuracies (null when none had validation).</param>
/// <param name="MeanTrainingSeconds">The mean training time.</param>
/// <param name="MeanImagesPerSecond">The mean training speed.</param>
public sealed record LeaderboardRecipe(
    string Name, IReadOnlyList<LeaderboardRun> Runs, double MeanTestAccuracy, double? StandardDeviation, double MinTestAccuracy, double MaxTestAccuracy,
    double? MeanBestValidationAccuracy, double MeanTrainingSeconds, double MeanImagesPerSecond)
{
    internal static LeaderboardRecipe Of(string name, IReadOnlyList<LeaderboardRun> runs)
    {
        double[] accuracies = [.. runs.Select(r => r.TestAccuracy)];
        double mean = accuracies.Average();
        double? sd = runs.Count > 1 ? Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (runs.Count - 1)) : null;
        double[] validation = [.. runs.Where(r => r.BestValidationAccuracy is not null).Select(r => r.BestValidationAccuracy!.Value)];
        return new LeaderboardRecipe(name, runs, mean, sd, accuracies.Min(), accuracies.Max(), validation.Length > 0 ? validation.Average() : null,
            runs.Average(r => r.TrainingSeconds), runs.Average(r => r.ImagesPerSecond));
    }
}
