namespace FashionMnist.Baselines.Cli.Sweeps;

/// <summary>One trial of a sweep: its index (as a Kubernetes indexed job numbers its pods), its name (its folder under the root) and its train options.</summary>
internal sealed record SweepTrial(int Index, string Name, IReadOnlyList<TrialOption> Options)
{
    /// <summary>The options as train command-line arguments.</summary>
    public IEnumerable<string> Arguments => Options.SelectMany(o => o.Arguments);

    /// <summary>The options as the user would type them, for the plan.</summary>
    public string CommandLine => string.Join(' ', Arguments);
}
