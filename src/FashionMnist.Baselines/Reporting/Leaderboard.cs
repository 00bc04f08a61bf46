using System.Globalization;
using System.Text;
using System.Text.Json;
using FashionMnist.Baselines.Training;

namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// Finished runs side by side (<c>fmb compare</c>): each run's honest test accuracy (the model selected on validation,
/// tested once; the final model when the run had no validation set), best validation accuracy, training time and
/// speed, and per recipe the mean and standard deviation over its runs. Runs share a recipe when every setting in
/// their <c>run.json</c> is equal but the seed, the device and the thread count, which change the draw or the speed,
/// not the recipe.
/// </summary>
public sealed class Leaderboard
{
    /// <summary>The settings that do not make another recipe.</summary>
    static readonly string[] NotRecipe = ["seed", "device", "threads"];

    Leaderboard(IReadOnlyList<LeaderboardRun> runs, IReadOnlyList<LeaderboardRecipe> recipes, IReadOnlyList<string> unfinished)
    {
        Runs = runs;
        Recipes = recipes;
        Unfinished = unfinished;
    }

    /// <summary>The runs, best test accuracy first.</summary>
    public IReadOnlyList<LeaderboardRun> Runs { get; }

    /// <summary>The recipes, best mean test accuracy first.</summary>
    public IReadOnlyList<LeaderboardRecipe> Recipes { get; }

    /// <summary>Run folders that were found without <c>metrics.json</c> (still training, or killed): not ranked.</summary>
    public IReadOnlyList<string> Unfinished { get; }

    /// <summary>
    /// Reads every run folder among <paramref name="runsOrRoots"/>: a folder with <c>run.json</c> is a run; any other
    /// folder is searched for run folders below it (a sweep's root, or docs/results).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="ArgumentException">No run folder was found.</exception>
    /// <param name="runsOrRoots">Run folders, or folders to search for them.</param>
    /// <param name="sameRecipeDespite">
    /// More settings (names as in run.json's options, such as <c>schedule</c>) that do not make another recipe here: for
    /// runs whose run.json describes the same recipe in the words of different library versions.
    /// </param>
    /// <exception cref="InvalidDataException">A run's run.json, history.json or metrics.json is damaged; the message names it.</exception>
    public static Leaderboard Read(IEnumerable<string> runsOrRoots, IEnumerable<string>? sameRecipeDespite = null)
    {
        ArgumentNullException.ThrowIfNull(runsOrRoots);
        string[] notRecipe = [.. NotRecipe, .. sameRecipeDespite ?? []];
        var folders = new List<string>();
        foreach (string given in runsOrRoots)
        {
            string full = Path.GetFullPath(given);
            if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{full} does not exist: expected a run folder or a folder of runs.");
            folders.AddRange(FindRuns(full));
        }
        folders = folders.Distinct().ToList();
        if (folders.Count == 0) throw new ArgumentException($"No run folder (a folder with run.json) in {string.Join(", ", runsOrRoots)}.", nameof(runsOrRoots));

        var runs = new List<(LeaderboardRun Run, string Recipe)>();
        var unfinished = new List<string>();
        foreach (string folder in folders)
        {
            var run = new RunFolder(folder);
            string metrics = run.File("metrics.json");
            if (!File.Exists(metrics))
            {
                unfinished.Add(folder);
                continue;
            }
            runs.Add(ReadRun(run, metrics, notRecipe));
        }
        if (runs.Count == 0) throw new ArgumentException($"None of the {folders.Count} run folders has finished (no metrics.json): {string.Join(", ", folders)}.", nameof(runsOrRoots));

        Dictionary<string, string> labels = RecipeLabels(runs);
        var recipes = runs.GroupBy(r => r.Recipe)
            .Select(g => LeaderboardRecipe.Of(labels[g.Key], g.Select(r => r.Run with { Recipe = labels[g.Key] }).OrderByDescending(r => r.TestAccuracy).ToList()))
            .OrderByDescending(r => r.MeanTestAccuracy).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        List<LeaderboardRun> ranked = [.. recipes.SelectMany(r => r.Runs).OrderByDescending(r => r.TestAccuracy).ThenBy(r => r.Name, StringComparer.Ordinal)];
        return new Leaderboard(ranked, recipes, unfinished);
    }

    static IEnumerable<string> FindRuns(string folder)
    {
        if (File.Exists(Path.Combine(folder, "run.json"))) return [folder];
        // Below a run folder nothing more is searched; hidden folders (a sweep's set-aside runs) are not runs.
        return Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Where(d => !Path.GetFileName(d).StartsWith('.')).SelectMany(FindRuns);
    }

    static (LeaderboardRun Run, string Recipe) ReadRun(RunFolder run, string metricsPath, string[] notRecipe)
    {
        RunRecord record = run.ReadRecord();
        TrainingHistory history = run.ReadHistory();
        (string testName, double testAccuracy) = ReadTest(metricsPath);
        int? seed = int.TryParse(record.Options.GetValueOrDefault("seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : null;
        double seconds = history.Epochs.Sum(e => e.Seconds);
        double images = double.TryParse(record.Options.GetValueOrDefault("training images"), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : double.NaN;
        double? bestValidation = history.Epochs.Select(e => e.ValidationAccuracy).Max();
        string recipe = string.Join('\n', record.Options.Where(o => !notRecipe.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));
        var result = new LeaderboardRun(
            Path.GetFileName(run.Path), run.Path, record.Model, "", seed, testAccuracy, testName, record.FlipAveraged, bestValidation,
            history.Epochs.Count, seconds, images * history.Epochs.Count / seconds, record.Options.GetValueOrDefault("precision", "float32"));
        return (result, recipe);
    }

    /// <summary>The selected model's test accuracy: the first test entry of metrics.json (see <see cref="RunSummary"/>).</summary>
    static (string Name, double Accuracy) ReadTest(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement first = document.RootElement.GetProperty("test")[0];
            return (first.GetProperty("name").GetString() ?? "", first.GetProperty("accuracy").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path} is damaged: expected a 'test' list whose first entry has a name and an accuracy ({e.Message}).", e);
        }
    }

    /// <summary>
    /// A short name for each recipe: the model, and where several recipes of one model are compared, the settings in
    /// which they differ.
    /// </summary>
    static Dictionary<string, string> RecipeLabels(IReadOnlyList<(LeaderboardRun Run, string Recipe)> runs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IGrouping<string, (LeaderboardRun Run, string Recipe)> model in runs.GroupBy(r => r.Run.Model))
        {
            string[] recipes = [.. model.Select(r => r.Recipe).Distinct()];
            if (recipes.Length == 1)
            {
                labels[recipes[0]] = model.Key;
                continue;
            }
            Dictionary<string, string>[] settings = [.. recipes.Select(r => r.Split('\n').Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""))];
            string[] differing = [.. settings.SelectMany(s => s.Keys).Distinct().Order(StringComparer.Ordinal)
                .Where(key => settings.Select(s => s.GetValueOrDefault(key, "-")).Distinct().Count() > 1 && key != "recipe")];
            for (int i = 0; i < recipes.Length; i++)
            {
                string details = string.Join(", ", differing.Select(key => $"{key} {settings[i].GetValueOrDefault(key, "-")}"));
                labels[recipes[i]] = details.Length == 0 ? $"{model.Key} ({i + 1})" : $"{model.Key}: {details}";
            }
        }
        return labels;
    }

    /// <summary>The leaderboard as Markdown: the recipes (mean and spread over their runs), then every run.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| recipe | runs | test accuracy, mean ± sd | min - max | best validation, mean | training time, mean | images/s, mean |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (LeaderboardRecipe r in Recipes)
        {
            string spread = r.StandardDeviation is double sd ? F($"{r.MeanTestAccuracy:F4} ± {sd:F4}") : F($"{r.MeanTestAccuracy:F4}");
            text.AppendLine(F($"| {Cell(r.Name)} | {r.Runs.Count} | {spread} | {r.MinTestAccuracy:F4} - {r.MaxTestAccuracy:F4} | {Optional(r.MeanBestValidationAccuracy)} | {Minutes(r.MeanTrainingSeconds)} | {r.MeanImagesPerSecond:N0} |"));
        }
        text.AppendLine();
        text.AppendLine("| run | recipe | seed | test accuracy | tested model | best validation | epochs | training time | images/s | precision |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (LeaderboardRun r in Runs)
        {
            string tested = r.FlipAveraged ? r.TestedModel + ", flip-averaged" : r.TestedModel;
            text.AppendLine(F($"| {Cell(r.Name)} | {Cell(r.Recipe)} | {(r.Seed is int s ? s.ToString(CultureInfo.InvariantCulture) : "-")} | {r.TestAccuracy:F4} | {Cell(tested)} | {Optional(r.BestValidationAccuracy)} | {r.Epochs} | {Minutes(r.TrainingSeconds)} | {r.ImagesPerSecond:N0} | {r.Precision} |"));
        }
        if (Unfinished.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Not ranked (no metrics.json yet): {string.Join(", ", Unfinished.Select(Path.GetFileName))}.");
        }
        text.AppendLine();
        text.AppendLine("Test accuracy: the model selected on validation, tested once (the final model where a run had no validation set). " +
                        "Training time: the sum of the epochs' times in history.json (loading, testing and the report not counted). sd: sample standard deviation over the recipe's runs.");
        return text.ToString();
    }

    static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    static string Optional(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    static string Minutes(double seconds) => (seconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min";
}
