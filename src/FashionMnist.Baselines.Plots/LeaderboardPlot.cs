using FashionMnist.Baselines.Reporting;
using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>
/// A <see cref="Leaderboard"/> as a picture: one column per recipe (best mean first), each run's honest test accuracy as
/// a dot, the recipe's mean as a bar with ± one standard deviation, so that the spread over seeds shows beside the gap
/// between recipes.
/// </summary>
public static class LeaderboardPlot
{
    /// <summary>Saves the plot of <paramref name="leaderboard"/> as a PNG.</summary>
    public static void Save(Leaderboard leaderboard, string path, string? title = null, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(leaderboard);
        var plot = new Plot();
        IReadOnlyList<LeaderboardRecipe> recipes = leaderboard.Recipes;
        for (int i = 0; i < recipes.Count; i++)
        {
            LeaderboardRecipe recipe = recipes[i];
            var mean = plot.Add.Bar(i, recipe.MeanTestAccuracy, recipe.StandardDeviation ?? 0);
            mean.Color = Colors.C0.WithAlpha(0.35);
            // Runs spread a little sideways, so that equal accuracies stay visible as separate dots.
            double[] xs = [.. recipe.Runs.Select((_, k) => i + (recipe.Runs.Count == 1 ? 0 : -0.2 + 0.4 * k / (recipe.Runs.Count - 1)))];
            var dots = plot.Add.ScatterPoints(xs, [.. recipe.Runs.Select(r => r.TestAccuracy)], Colors.C1);
            dots.MarkerSize = 8;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, recipes.Count).Select(i => (double)i)], [.. recipes.Select(r => Shorten(r.Name))]);
        double low = leaderboard.Runs.Min(r => r.TestAccuracy);
        double high = leaderboard.Runs.Max(r => r.TestAccuracy);
        double margin = Math.Max(0.002, (high - low) * 0.25);
        plot.Axes.SetLimitsY(low - margin, high + margin);
        plot.Axes.SetLimitsX(-0.6, recipes.Count - 0.4);
        plot.Title(title ?? "Test accuracy per recipe (dots: runs; bars: mean ± sd)");
        plot.YLabel("Honest test accuracy");
        PlotFiles.SavePng(plot, path, width, height);
    }

    static string Shorten(string name) => name.Length <= 40 ? name : name[..37] + "...";
}
