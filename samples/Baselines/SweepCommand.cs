using System.Globalization;
using FashionMnist.Baselines.Cli.Sweeps;
using FashionMnist.Baselines.Runtime;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>sweep plan|run|k8s FILE</c>: many train runs from one sweep file (docs/sweeps.md). <c>plan</c> lists the trials;
/// <c>run</c> trains one trial (<c>--trial N</c>, or <c>JOB_COMPLETION_INDEX</c> in a Kubernetes indexed job) or all
/// of them, <c>--parallel P</c> at a time; <c>k8s</c> writes the indexed Job that runs them on a cluster.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The variable a Kubernetes indexed job sets in each pod.</summary>
    public const string CompletionIndexVariable = "JOB_COMPLETION_INDEX";

    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0) throw new UsageException("sweep needs a subcommand: sweep plan FILE, sweep run FILE or sweep k8s FILE.");
        IReadOnlyList<string> rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "plan" => Plan(rest),
            "run" => RunTrials(rest, cancellationToken),
            "k8s" => Kubernetes(rest),
            _ => throw new UsageException($"Unknown sweep subcommand '{args[0]}': plan, run or k8s."),
        };
    }

    static SweepPlan Load(Arguments a, string subcommand)
    {
        if (a.Positional.Count != 1) throw new UsageException($"sweep {subcommand} needs one sweep file, such as: sweep {subcommand} sweeps/cnn-seed-recipe.yaml");
        return SweepPlan.Create(SweepFile.Read(a.Positional[0]), a.String("root"));
    }

    static int Plan(IReadOnlyList<string> args)
    {
        SweepPlan plan = Load(new Arguments(args, ["root"], []), "plan");
        AnsiConsole.MarkupLine($"Sweep [bold]{Markup.Escape(plan.File.Name)}[/]: {plan.Trials.Count} trial{(plan.Trials.Count == 1 ? "" : "s")} of train {Markup.Escape(plan.File.Model)}, each into {Markup.Escape(plan.Root)}{Path.DirectorySeparatorChar}<name>");
        var table = new Table().AddColumns("index", "name", "train options");
        foreach (SweepTrial trial in plan.Trials) table.AddRow(trial.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Name), Markup.Escape(trial.CommandLine));
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    static int RunTrials(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["root", "trial", "parallel", "data-dir", "threads"], []);
        SweepPlan plan = Load(a, "run");
        int? trial = a.Int("trial", 0, plan.Trials.Count - 1) ?? CompletionIndex(plan);
        int? parallel = a.Int("parallel", 1, 1024);
        if (trial is not null && parallel is not null) throw new UsageException("--parallel runs every trial; drop it to run the one trial given by --trial or JOB_COMPLETION_INDEX.");
        int? threads = a.Int("threads", 1, 1024);

        List<string> extra = [];
        if (a.String("data-dir") is string data) extra.AddRange(["--data-dir", Path.GetFullPath(data)]);
        if (threads is int t) extra.AddRange(["--threads", t.ToString(CultureInfo.InvariantCulture)]);
        if (trial is int index) return SweepRunner.RunTrial(plan, plan.Trials[index], extra, cancellationToken);

        if (parallel is not int p || p == 1)
        {
            foreach (SweepTrial each in plan.Trials)
            {
                int code = SweepRunner.RunTrial(plan, each, extra, cancellationToken);
                if (code != ExitCodes.Success) return code;
            }
            return ExitCodes.Success;
        }

        // Each child trains one trial with its share of the cores, unless the command line says how many threads.
        int share = threads ?? Math.Max(1, Environment.ProcessorCount / p);
        AnsiConsole.MarkupLine($"Sweep [bold]{Markup.Escape(plan.File.Name)}[/]: {plan.Trials.Count} trials, {p} at a time with {share} thread{(share == 1 ? "" : "s")} each, into {Markup.Escape(plan.Root)}");
        List<string> child = ["sweep", "run", plan.File.Path, "--root", plan.Root, "--threads", share.ToString(CultureInfo.InvariantCulture)];
        if (a.String("data-dir") is string dataDir) child.AddRange(["--data-dir", Path.GetFullPath(dataDir)]);
        return SweepRunner.RunInParallel(plan, p, child, cancellationToken);
    }

    /// <summary>The trial of this pod in a Kubernetes indexed job, or null outside one.</summary>
    static int? CompletionIndex(SweepPlan plan)
    {
        string? value = Environment.GetEnvironmentVariable(CompletionIndexVariable);
        if (string.IsNullOrEmpty(value)) return null;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= plan.Trials.Count)
        {
            throw new UsageException($"{CompletionIndexVariable}={value}: expected a trial index from 0 to {plan.Trials.Count - 1} (the Job's completions must equal the sweep's {plan.Trials.Count} trials).");
        }
        return index;
    }

    static int Kubernetes(IReadOnlyList<string> args)
    {
        var a = new Arguments(args, ["image", "volume", "output", "parallelism", "threads", "memory", "retries"], []);
        SweepPlan plan = Load(a, "k8s");
        var settings = new KubernetesJobSettings(
            a.String("image") ?? throw new UsageException("sweep k8s needs --image, the CLI's container image (see the Dockerfile)."),
            a.String("volume") ?? throw new UsageException("sweep k8s needs --volume, a ReadWriteMany PersistentVolumeClaim for the runs and the data set."),
            a.Int("parallelism", 1, 10_000), a.Int("threads", 1, 1024) ?? 2, a.String("memory") ?? "6Gi", a.Int("retries", 0, 100) ?? 3);
        string manifest = KubernetesJob.Write(plan, settings);
        string output = a.String("output") ?? plan.File.Name + "-job.yaml";
        AtomicFile.WriteAllText(output, manifest);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(output))}: an indexed Job of {plan.Trials.Count} trials. Run it with: kubectl apply -f {Markup.Escape(output)}");
        return ExitCodes.Success;
    }
}
