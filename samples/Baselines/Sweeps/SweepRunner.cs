using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using FashionMnist.Baselines.Reporting;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli.Sweeps;

/// <summary>
/// Runs the trials of a <see cref="SweepPlan"/>. A trial is idempotent: finished (its folder has <c>metrics.json</c>),
/// it is skipped; started (a checkpoint in <c>checkpoints/last</c>), it resumes, to the same history as an
/// uninterrupted run; started but killed before its first checkpoint, it starts again. While a process decides and
/// trains a trial it holds the trial's lock (<c>&lt;root&gt;/.&lt;trial&gt;.trial.lock</c>), so a second process on
/// the same trial is refused at once with the holder's name instead of writing beside it.
/// </summary>
internal static class SweepRunner
{
    /// <summary>Runs one trial in this process; returns the train command's exit code.</summary>
    /// <param name="plan">The sweep.</param>
    /// <param name="trial">The trial.</param>
    /// <param name="extra">Train options from the sweep command line (<c>--data-dir</c>, <c>--threads</c>), which win over the file's.</param>
    /// <param name="cancellationToken">Stops the trial at the end of a batch; its last checkpoint resumes it.</param>
    public static int RunTrial(SweepPlan plan, SweepTrial trial, IReadOnlyList<string> extra, CancellationToken cancellationToken)
    {
        string folder = plan.FolderOf(trial);
        RunFolderLock trialLock;
        try
        {
            trialLock = RunFolderLock.Take(folder + ".trial");
        }
        catch (RunFolderLockedException e)
        {
            throw new UsageException($"Trial {trial.Index} ({trial.Name}) of {plan.File.Name} is being run by {e.Holder}; it is not started twice. Wait for that process, or stop it and run the trial again to resume it.");
        }
        using (trialLock)
        {
            var run = new RunFolder(folder);
            string last = Path.Combine(run.Checkpoints, "last");
            string[] continuation;
            if (File.Exists(run.File("metrics.json")))
            {
                AnsiConsole.MarkupLine($"Trial {trial.Index} ({Markup.Escape(trial.Name)}): finished earlier, skipped ({Markup.Escape(folder)}).");
                return ExitCodes.Success;
            }
            else if (File.Exists(Path.Combine(last, "state.json")))
            {
                AnsiConsole.MarkupLine($"Trial {trial.Index} ({Markup.Escape(trial.Name)}): resuming from {Markup.Escape(last)}.");
                continuation = ["--resume", last];
            }
            else
            {
                // A run killed before its first checkpoint left nothing to resume: it starts again in its own folder.
                continuation = run.HoldsRun ? ["--overwrite"] : [];
                AnsiConsole.MarkupLine($"Trial {trial.Index} ({Markup.Escape(trial.Name)}): {(run.HoldsRun ? "starting again (no checkpoint was left)" : "starting")}.");
            }
            return TrainCommand.Run([plan.File.Model, .. trial.Arguments, "--output", folder, .. continuation, .. extra], cancellationToken);
        }
    }

    /// <summary>
    /// Runs the trials <paramref name="parallel"/> at a time, each as a child process (<c>fmb sweep run FILE --trial
    /// N</c>, exactly what a Kubernetes pod runs) with its console in <c>&lt;root&gt;/logs/&lt;trial&gt;.log</c>.
    /// Returns 0 when every trial succeeded, else the first failed trial's exit code.
    /// </summary>
    public static int RunInParallel(SweepPlan plan, int parallel, IReadOnlyList<string> childArguments, CancellationToken cancellationToken)
    {
        string logs = Path.Combine(plan.Root, "logs");
        Directory.CreateDirectory(logs);
        var results = new int[plan.Trials.Count];
        using var slots = new SemaphoreSlim(parallel);
        var tasks = new List<Task>();
        // Trials start in index order, each as soon as a slot is free.
        foreach (SweepTrial trial in plan.Trials)
        {
            slots.Wait(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                results[trial.Index] = ExitCodes.Cancelled;
                slots.Release();
                continue;
            }
            string log = Path.Combine(logs, trial.Name + ".log");
            AnsiConsole.MarkupLine($"Trial {trial.Index} ({Markup.Escape(trial.Name)}): started, console in {Markup.Escape(log)}");
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var clock = Stopwatch.StartNew();
                    results[trial.Index] = await RunChild([.. childArguments, "--trial", trial.Index.ToString(CultureInfo.InvariantCulture)], log);
                    AnsiConsole.MarkupLine(results[trial.Index] == ExitCodes.Success
                        ? $"Trial {trial.Index} ({Markup.Escape(trial.Name)}): [green]done[/] in {clock.Elapsed:hh\\:mm\\:ss}"
                        : $"Trial {trial.Index} ({Markup.Escape(trial.Name)}): [red]failed with exit code {results[trial.Index]}[/] (see {Markup.Escape(log)})");
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        Task.WaitAll(tasks.ToArray(), CancellationToken.None);

        int[] failed = [.. Enumerable.Range(0, results.Length).Where(i => results[i] != ExitCodes.Success)];
        if (failed.Length == 0) return ExitCodes.Success;
        Console.Error.WriteLine($"error: {failed.Length} of {results.Length} trials failed: {string.Join(", ", failed.Select(i => $"{i} ({plan.Trials[i].Name}, exit code {results[i]})"))}. Run the sweep again to resume them.");
        return results[failed[0]];
    }

    /// <summary>Runs this program again with <paramref name="arguments"/>, its output appended to <paramref name="log"/>; returns its exit code.</summary>
    static async Task<int> RunChild(IReadOnlyList<string> arguments, string log)
    {
        ProcessStartInfo start = SelfStart();
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        await using var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) writer.WriteLine(line);
        }
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        child.OutputDataReceived += (_, e) => Write(e.Data);
        child.ErrorDataReceived += (_, e) => Write(e.Data);
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        // Ctrl+C reaches the child too (same process group): it stops at the end of a batch, keeping its checkpoint.
        await child.WaitForExitAsync(CancellationToken.None);
        return child.ExitCode;
    }

    /// <summary>How to start this program again: the apphost itself, or <c>dotnet fmb.dll</c> when run through dotnet.</summary>
    static ProcessStartInfo SelfStart()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var start = new ProcessStartInfo(process) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("The entry assembly is unknown."));
        }
        return start;
    }
}
