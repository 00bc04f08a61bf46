using System.Diagnostics;
using System.Text.Json;
using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Sweeps;

/// <summary>
/// Sweeps as they run: four tiny trials on a data subset, with <c>--parallel 2</c> and as a simulated Kubernetes indexed
/// job (one process per <c>JOB_COMPLETION_INDEX</c>), each time with one trial killed and started again; every trial
/// ends with the history and predictions of an uninterrupted run.
/// </summary>
public sealed class SweepRunTests
{
    // One thread per trial, as --parallel 2 gives on two cores, so that every process computes the same sums.
    const string Sweep = """
        name: tiny
        model: cnn
        options: { epochs: 3, train-subset: 1200, validation-size: 200, threads: 1 }
        grid:
          lr: [0.5, 1.0]
        seeds: [0, 1]
        """;

    static readonly string Fmb = Repository.File("samples", "Baselines", "bin", "Release", "net10.0", "fmb.dll");

    static int Run(params string[] args) => CommandLine.Run(args, CancellationToken.None);

    static string[] Trials => ["lr-0.5_seed-0", "lr-0.5_seed-1", "lr-1.0_seed-0", "lr-1.0_seed-1"];

    static ProcessStartInfo Fmb_(IEnumerable<string> args, int? completionIndex = null)
    {
        File.Exists(Fmb).Should().BeTrue("the solution is built in Release before the tests run");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Fmb);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (completionIndex is int index) start.Environment[SweepCommand.CompletionIndexVariable] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return start;
    }

    static (int ExitCode, string Output) RunProcess(ProcessStartInfo start)
    {
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Starts a trial as its own process and kills it once its first epoch's checkpoint is written.</summary>
    static void StartAndKill(ProcessStartInfo start, string trialFolder, Action? whileRunning = null)
    {
        using Process child = Process.Start(start)!;
        string state = Path.Combine(trialFolder, "checkpoints", "last", "state.json");
        SpinWait.SpinUntil(() => File.Exists(state) || child.HasExited, TimeSpan.FromMinutes(3));
        File.Exists(state).Should().BeTrue($"the first epoch ends before the kill ({(child.HasExited ? child.StandardError.ReadToEnd() : "running")})");
        whileRunning?.Invoke();
        child.Kill(entireProcessTree: true);
        child.WaitForExit();
        File.Exists(Path.Combine(trialFolder, "metrics.json")).Should().BeFalse("the trial was killed before it ended");
    }

    /// <summary>What must not depend on being killed and resumed: every epoch's figures but its time, and the test predictions.</summary>
    static string Outcome(string trialFolder)
    {
        using JsonDocument history = JsonDocument.Parse(File.ReadAllText(Path.Combine(trialFolder, "history.json")));
        string epochs = string.Join('\n', history.RootElement.EnumerateArray().Select(epoch => string.Join(' ', epoch.EnumerateObject()
            .Where(p => p.Name is not ("seconds" or "images_per_second") && !p.Name.Contains("second", StringComparison.Ordinal))
            .Select(p => $"{p.Name}={p.Value}"))));
        return epochs + "\n" + File.ReadAllText(Path.Combine(trialFolder, "predictions-test.csv")) + File.ReadAllText(Path.Combine(trialFolder, "predictions-test-final.csv"));
    }

    [RealDataFact]
    public void Four_trials_run_two_at_a_time_a_killed_trial_resumes_to_the_uninterrupted_history_and_a_second_process_on_a_trial_is_refused()
    {
        using var dir = new TempDirectory();
        string sweep = dir.Combine("tiny.yaml");
        File.WriteAllText(sweep, Sweep);
        string root = dir.Combine("parallel");

        // Trial 1 alone, killed after its first epoch; while it trains, a second process on the same trial is refused.
        string killedTrial = Path.Combine(root, Trials[1]);
        StartAndKill(Fmb_(["sweep", "run", sweep, "--root", root, "--trial", "1", "--data-dir", RealData.Directory]), killedTrial, () =>
        {
            var error = new StringWriter();
            TextWriter original = Console.Error;
            Console.SetError(error);
            try
            {
                Run("sweep", "run", sweep, "--root", root, "--trial", "1", "--data-dir", RealData.Directory).Should().Be(ExitCodes.Usage);
            }
            finally
            {
                Console.SetError(original);
            }
            error.ToString().Should().Contain($"Trial 1 ({Trials[1]}) of tiny is being run by process").And.Contain("it is not started twice");
        });

        (int exitCode, string output) = RunProcess(Fmb_(["sweep", "run", sweep, "--root", root, "--parallel", "2", "--data-dir", RealData.Directory]));

        exitCode.Should().Be(ExitCodes.Success, output);
        output.Should().Contain("4 trials, 2 at a time with 1 thread each");
        File.ReadAllText(Path.Combine(root, "logs", Trials[1] + ".log")).Should().Contain("resuming from");
        foreach (string trial in Trials) File.Exists(Path.Combine(root, trial, "metrics.json")).Should().BeTrue(trial);

        // The killed trial against the same trial run uninterrupted, in this process, into another root.
        string reference = dir.Combine("reference");
        Run("sweep", "run", sweep, "--root", reference, "--trial", "1", "--data-dir", RealData.Directory).Should().Be(ExitCodes.Success);
        Outcome(killedTrial).Should().Be(Outcome(Path.Combine(reference, Trials[1])));

        // Started again, a finished sweep trains nothing.
        using (var console = new ConsoleCapture())
        {
            Run("sweep", "run", sweep, "--root", root, "--data-dir", RealData.Directory).Should().Be(ExitCodes.Success);
            console.Text.Split('\n').Count(line => line.Contains("finished earlier, skipped", StringComparison.Ordinal)).Should().Be(4);
        }

        // The same sweep as a Kubernetes indexed job would run it: one process per index, two at a time, index 2 killed
        // after its first epoch and started again, as Kubernetes replaces an evicted pod.
        string job = dir.Combine("job");
        string[] podArguments = ["sweep", "run", sweep, "--root", job, "--data-dir", RealData.Directory];
        StartAndKill(Fmb_(podArguments, completionIndex: 2), Path.Combine(job, Trials[2]));
        foreach (int[] pair in new[] { new[] { 0, 1 }, new[] { 2, 3 } })
        {
            Process[] pods = [.. pair.Select(i => Process.Start(Fmb_(podArguments, completionIndex: i))!)];
            foreach (Process pod in pods)
            {
                Task<string> log = pod.StandardOutput.ReadToEndAsync();
                string errors = pod.StandardError.ReadToEnd();
                pod.WaitForExit();
                pod.ExitCode.Should().Be(ExitCodes.Success, log.Result + errors);
                pod.Dispose();
            }
        }
        Directory.GetDirectories(job).Select(Path.GetFileName).Should().BeEquivalentTo(Trials, "the same trial folders");
        foreach (string trial in Trials) Outcome(Path.Combine(job, trial)).Should().Be(Outcome(Path.Combine(root, trial)), trial);
    }

    [Fact]
    public void An_index_outside_the_sweep_is_refused_with_the_number_of_trials()
    {
        using var dir = new TempDirectory();
        string sweep = dir.Combine("tiny.yaml");
        File.WriteAllText(sweep, Sweep);

        (int exitCode, string output) = RunProcess(Fmb_(["sweep", "run", sweep, "--root", dir.Combine("root")], completionIndex: 4));

        exitCode.Should().Be(ExitCodes.Usage);
        output.Should().Contain("JOB_COMPLETION_INDEX=4: expected a trial index from 0 to 3");
        Run("sweep", "run", sweep, "--trial", "4").Should().Be(ExitCodes.Usage);
        Run("sweep", "run", sweep, "--trial", "1", "--parallel", "2").Should().Be(ExitCodes.Usage);
    }
}
