using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Runtime;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>compare RUN_OR_ROOT...</c>: the leaderboard of finished runs (a sweep's root, docs/results, single run folders)
/// as Markdown on the console, and optionally as files: <c>--output FILE.md</c>, <c>--plot FILE.png</c>, and
/// <c>--curves FILE.png</c> (validation accuracy over training time, with <c>--curves-from RUN,...</c> for more runs and
/// <c>--target X</c> for a dotted line).
/// <c>--same-recipe-despite "schedule,weights layout"</c> groups runs whose run.json words the same recipe differently
/// (files of older library versions).
/// </summary>
internal static class CompareCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var a = new Arguments(args, ["output", "plot", "curves", "curves-from", "target", "same-recipe-despite"], []);
        if (a.Positional.Count == 0) throw new UsageException("compare needs run folders or folders of runs, such as: compare runs/cnn-seed-recipe docs/results/cnn-seed");
        // Checked before anything is written.
        double? target = a.Double("target", 0, 1);
        string[] curvesFrom = a.String("curves-from")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (a.String("curves") is null && (target is not null || curvesFrom.Length > 0))
        {
            throw new UsageException("--curves-from and --target shape the --curves plot: add --curves FILE.png.");
        }
        foreach (string folder in curvesFrom.Where(f => !File.Exists(new RunFolder(f).HistoryJson)))
        {
            throw new UsageException($"--curves-from: {folder} has no history.json.");
        }
        Leaderboard leaderboard;
        try
        {
            leaderboard = Leaderboard.Read(a.Positional, a.String("same-recipe-despite")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or ArgumentException)
        {
            throw new UsageException(e.Message);
        }
        string markdown = leaderboard.ToMarkdown();
        Console.Write(markdown);
        if (a.String("output") is string output)
        {
            AtomicFile.WriteAllText(output, markdown);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(output))}");
        }
        if (a.String("plot") is string plot)
        {
            LeaderboardPlot.Save(leaderboard, plot);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(plot))}");
        }
        if (a.String("curves") is string curves)
        {
            // Every run on the board, plus runs given only for their curve (another recipe at equal time), each once.
            var runs = new List<(string, Training.TrainingHistory)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string folder, string label) in leaderboard.Runs.Select(r => (r.Folder, r.Name))
                .Concat(curvesFrom.Select(f => (f, new DirectoryInfo(Path.GetFullPath(f)).Name))))
            {
                if (!seen.Add(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar))) continue;
                runs.Add((label, new RunFolder(folder).ReadHistory()));
            }
            try
            {
                TrainingTimeCurvePlot.Save(runs, curves, target: target);
            }
            catch (ArgumentException e)
            {
                throw new UsageException("--curves: " + e.Message);
            }
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(curves))}");
        }
        return ExitCodes.Success;
    }
}
