using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Reporting;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary><c>report &lt;run folder&gt;</c>: rebuilds report.md, metrics.json and the PNGs from the run's files (<see cref="RunFolder.Rebuild"/>).</summary>
internal static class ReportCommand
{
    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["data-dir"], []);
        if (a.Positional.Count != 1) throw new UsageException("report needs one run folder, such as: report runs/cnn");
        var run = new RunFolder(a.Positional[0]);
        using RunFolderLock held = run.Lock(); // refused while a run is still writing there, naming it
        RunRecord record = run.ReadRecord();
        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, a.DataOptions(record.Normalization), cancellationToken);
        run.Rebuild(test, new RunFigures());
        AnsiConsole.MarkupLine($"Rebuilt {Markup.Escape(run.File("report.md"))}, metrics.json and the pictures.");
        return ExitCodes.Success;
    }
}
