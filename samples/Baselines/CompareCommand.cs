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
            // Every run on the board, plus runs given only for their curve (--curves-from A,B: another recipe at equal time).
            IEnumerable<string> folders = leaderboard.Runs.Select(r => r.Folder)
                .Concat(a.String("curves-from")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []);
            var runs = new List<(string, Training.TrainingHistory)>();
            foreach (string folder in folders)
            {
                var run = new RunFolder(folder);
                if (!File.Exists(run.HistoryJson)) throw new UsageException($"--curves: {folder} has no history.json.");
                runs.Add((Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/')), run.ReadHistory()));
            }
            try
            {
                TrainingTimeCurvePlot.Save(runs, curves, target: a.Double("target", 0, 1));
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
