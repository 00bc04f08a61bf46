namespace FashionMnist.Baselines.Cli.Sweeps;

/// <summary>
/// A sweep file expanded into its trials. Every entry of <c>trials</c> (or the base recipe alone when there is no list)
/// is crossed with every combination of <c>grid</c> (keys in file order, the last varying fastest) and then with every
/// seed; later options replace earlier ones of the same name (options, then the entry, then the grid, then the seed).
/// A trial's name joins what distinguishes it: the entry's name (or its options), the grid values, the seed.
/// </summary>
internal sealed class SweepPlan
{
    SweepPlan(SweepFile file, string root, IReadOnlyList<SweepTrial> trials)
    {
        File = file;
        Root = root;
        Trials = trials;
    }

    public SweepFile File { get; }

    /// <summary>The folder that holds one run folder per trial.</summary>
    public string Root { get; }

    public IReadOnlyList<SweepTrial> Trials { get; }

    /// <summary>The run folder of <paramref name="trial"/>.</summary>
    public string FolderOf(SweepTrial trial) => Path.Combine(Root, trial.Name);

    /// <summary>
    /// Expands <paramref name="file"/> and checks every trial as the train command would (model, option values),
    /// so that a mistake shows before anything runs, not in trial 37 on a cluster.
    /// </summary>
    /// <param name="file">The sweep.</param>
    /// <param name="root">Replaces the file's root (a cluster's volume, say); relative paths are from the current folder.</param>
    public static SweepPlan Create(SweepFile file, string? root = null)
    {
        string where = $"Sweep file {file.Path}";
        try
        {
            ModelName.Resolve(file.Model);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{where}: model: {e.Message}");
        }
        if (file.Seeds is not null && Sets(file, "seed"))
        {
            throw new UsageException($"{where}: seeds and a seed option both set the seed; keep one.");
        }

        IReadOnlyList<NamedOptions> entries = file.Trials.Count > 0 ? file.Trials : [new NamedOptions(null, [])];
        IReadOnlyList<IReadOnlyList<TrialOption>> combinations = Combinations(file.Grid);
        IReadOnlyList<int?> seeds = file.Seeds?.Select(s => (int?)s).ToList() ?? [null];
        var trials = new List<SweepTrial>();
        foreach (NamedOptions entry in entries)
        {
            foreach (IReadOnlyList<TrialOption> combination in combinations)
            {
                foreach (int? seed in seeds)
                {
                    TrialOption[] seedOption = seed is int s ? [new TrialOption("seed", s.ToString(System.Globalization.CultureInfo.InvariantCulture), true)] : [];
                    IReadOnlyList<TrialOption> options = Merge([file.Options, entry.Options, combination, seedOption]);
                    IEnumerable<string> parts = [.. entry.Name is string n ? [n] : entry.Options.Select(o => o.NamePart), .. combination.Select(o => o.NamePart), .. seedOption.Select(o => o.NamePart)];
                    string name = string.Join('_', parts.Select(Safe));
                    trials.Add(new SweepTrial(trials.Count, name.Length == 0 ? "trial" : name, options));
                }
            }
        }

        foreach (IGrouping<string, SweepTrial> same in trials.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            throw new UsageException($"{where}: trials {string.Join(" and ", same.Select(t => t.Index))} would both be named '{same.Key}' (and share a folder); give the trials entries a name.");
        }
        foreach (SweepTrial trial in trials)
        {
            try
            {
                TrainCommand.Check([file.Model, .. trial.Arguments]);
            }
            catch (UsageException e)
            {
                throw new UsageException($"{where}: trial {trial.Index} ({trial.Name}): {e.Message}");
            }
        }
        return new SweepPlan(file, Path.GetFullPath(root ?? file.Root ?? Path.Combine("runs", file.Name)), trials);
    }

    static bool Sets(SweepFile file, string option) =>
        file.Options.Any(o => o.Name == option) || file.Grid.Any(g => g.Key == option) || file.Trials.Any(t => t.Options.Any(o => o.Name == option));

    /// <summary>Every combination of the grid's values, the last key varying fastest; one empty combination for no grid.</summary>
    static IReadOnlyList<IReadOnlyList<TrialOption>> Combinations(IReadOnlyList<KeyValuePair<string, IReadOnlyList<TrialOption>>> grid)
    {
        IReadOnlyList<IReadOnlyList<TrialOption>> result = [[]];
        foreach ((string _, IReadOnlyList<TrialOption> values) in grid)
        {
            result = result.SelectMany(combination => values.Select(value => (IReadOnlyList<TrialOption>)[.. combination, value])).ToList();
        }
        return result;
    }

    /// <summary>The options in order, each name once, with the value of its last occurrence.</summary>
    static IReadOnlyList<TrialOption> Merge(IEnumerable<IReadOnlyList<TrialOption>> layers)
    {
        var merged = new List<TrialOption>();
        foreach (TrialOption option in layers.SelectMany(layer => layer))
        {
            int existing = merged.FindIndex(o => o.Name == option.Name);
            if (existing >= 0) merged[existing] = option;
            else merged.Add(option);
        }
        return merged;
    }

    /// <summary>A name part as a folder name: letters, digits, dots, dashes, underscores and plus signs; anything else becomes a dash.</summary>
    static string Safe(string part) => new(part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '_' ? c : '-').ToArray());
}
