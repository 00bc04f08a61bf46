using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FashionMnist.Baselines.Cli.Sweeps;

/// <summary>
/// A sweep file as written: a base recipe (<c>model</c> and <c>options</c>), then <c>trials</c> (a list of option sets),
/// a <c>grid</c> (every combination of its values) and <c>seeds</c>, which multiply. YAML, and so JSON too (a JSON
/// document is YAML). Options are the <c>train</c> command's, spelled without the dashes; see docs/sweeps.md.
/// </summary>
internal sealed partial record SweepFile(
    string Path, string Name, string Model, string? Root, IReadOnlyList<TrialOption> Options,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<TrialOption>>> Grid, IReadOnlyList<NamedOptions> Trials, IReadOnlyList<int>? Seeds)
{
    static readonly string[] Keys = ["name", "model", "root", "options", "grid", "trials", "seeds"];

    /// <summary>Options a sweep sets for each trial itself: where it writes, and whether it resumes or replaces.</summary>
    internal static readonly string[] ReservedOptions = ["output", "resume", "overwrite"];

    /// <summary>Reads and checks <paramref name="path"/>; every mistake is a <see cref="UsageException"/> naming the file and the key.</summary>
    public static SweepFile Read(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new UsageException($"Sweep file {full} does not exist.");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(full);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new UsageException($"Sweep file {full} is not valid YAML or JSON: {e.Message} (line {e.Start.Line}).");
        }
        if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UsageException($"Sweep file {full} must hold one mapping with the keys {string.Join(", ", Keys)}.");
        }
        var reading = new Reading(full);
        Dictionary<string, YamlNode> top = reading.Mapping(root, "the sweep", Keys);

        string name = reading.Scalar(top, "name") ?? throw reading.Error("needs a name (lower-case letters, digits and dashes, as a Kubernetes Job's name)");
        if (!JobName().IsMatch(name)) throw reading.Error($"name '{name}': use lower-case letters, digits and dashes, starting with a letter, at most 52 characters (it names the Kubernetes Job)");
        string model = reading.Scalar(top, "model") ?? throw reading.Error("needs a model, such as model: cnn (see fmb models)");
        string? rootFolder = reading.Scalar(top, "root");

        IReadOnlyList<TrialOption> options = top.TryGetValue("options", out YamlNode? o) ? reading.Options(o, "options") : [];
        var grid = new List<KeyValuePair<string, IReadOnlyList<TrialOption>>>();
        if (top.TryGetValue("grid", out YamlNode? g))
        {
            if (g is not YamlMappingNode gridNode) throw reading.Error("grid must map options to lists of values, such as grid: { lr: [0.5, 1.0] }");
            foreach ((YamlNode key, YamlNode values) in gridNode.Children)
            {
                string option = reading.OptionName(key, "grid");
                if (values is not YamlSequenceNode list) throw reading.Error($"grid.{option} must be a list of values, such as [0.5, 1.0]");
                if (list.Children.Count == 0) throw reading.Error($"grid.{option} is an empty list: the sweep would have no trials");
                grid.Add(new(option, list.Children.Select(v => reading.Option(option, v, $"grid.{option}")).ToList()));
            }
        }
        var trials = new List<NamedOptions>();
        if (top.TryGetValue("trials", out YamlNode? t))
        {
            if (t is not YamlSequenceNode list) throw reading.Error("trials must be a list of option sets, such as trials: [ { optimizer: adam, lr: 0.001 } ]");
            if (list.Children.Count == 0) throw reading.Error("trials is an empty list: the sweep would have no trials");
            for (int i = 0; i < list.Children.Count; i++)
            {
                string where = $"trials[{i}]";
                if (list.Children[i] is not YamlMappingNode entry) throw reading.Error($"{where} must be a mapping of options");
                string? trialName = null;
                var entryOptions = new List<TrialOption>();
                foreach ((YamlNode key, YamlNode value) in entry.Children)
                {
                    if (key is YamlScalarNode { Value: "name" })
                    {
                        trialName = reading.ScalarValue(value, $"{where}.name");
                        if (!TrialName().IsMatch(trialName)) throw reading.Error($"{where}.name '{trialName}': use letters, digits, dots, dashes and underscores");
                        continue;
                    }
                    string option = reading.OptionName(key, where);
                    entryOptions.Add(reading.Option(option, value, $"{where}.{option}"));
                }
                trials.Add(new NamedOptions(trialName, entryOptions));
            }
        }
        List<int>? seeds = null;
        if (top.TryGetValue("seeds", out YamlNode? s))
        {
            if (s is not YamlSequenceNode list) throw reading.Error("seeds must be a list of integers, such as seeds: [0, 1, 2, 3]");
            if (list.Children.Count == 0) throw reading.Error("seeds is an empty list: the sweep would have no trials");
            seeds = list.Children.Select((v, i) => int.TryParse(reading.ScalarValue(v, $"seeds[{i}]"), NumberStyles.None, CultureInfo.InvariantCulture, out int seed)
                ? seed : throw reading.Error($"seeds[{i}] must be a non-negative integer")).ToList();
            if (seeds.Distinct().Count() != seeds.Count) throw reading.Error("seeds lists a seed twice");
        }
        return new SweepFile(full, name, model, rootFolder, options, grid, trials, seeds);
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,50}[a-z0-9])?$")]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TrialName();

    /// <summary>The checks of one file, with its path in every message.</summary>
    sealed class Reading(string path)
    {
        public UsageException Error(string message) => new($"Sweep file {path}: {message}.");

        public Dictionary<string, YamlNode> Mapping(YamlMappingNode node, string what, string[] keys)
        {
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach ((YamlNode key, YamlNode value) in node.Children)
            {
                string name = ScalarValue(key, what);
                if (!keys.Contains(name)) throw Error($"unknown key '{name}' in {what}; the keys are {string.Join(", ", keys)}");
                result[name] = value;
            }
            return result;
        }

        public string? Scalar(Dictionary<string, YamlNode> mapping, string key) =>
            mapping.TryGetValue(key, out YamlNode? node) ? ScalarValue(node, key) : null;

        public string ScalarValue(YamlNode node, string where) =>
            node is YamlScalarNode { Value: string value } && value.Length > 0 ? value : throw Error($"{where} must be a single value");

        public IReadOnlyList<TrialOption> Options(YamlNode node, string where)
        {
            if (node is not YamlMappingNode mapping) throw Error($"{where} must map train options to values, such as {{ epochs: 10, monitor-test: true }}");
            return mapping.Children.Select(pair =>
            {
                string option = OptionName(pair.Key, where);
                return Option(option, pair.Value, $"{where}.{option}");
            }).ToList();
        }

        /// <summary>A train option's name, checked against the train command's options.</summary>
        public string OptionName(YamlNode key, string where)
        {
            string name = ScalarValue(key, where);
            if (ReservedOptions.Contains(name))
            {
                throw Error($"{where} sets '{name}', which the sweep sets for each trial itself (each trial writes to <root>/<trial name>, resumes its own checkpoint and is never overwritten once finished)");
            }
            if (!TrainCommand.ValueOptions.Contains(name) && !TrainCommand.Flags.Contains(name))
            {
                string[] valid = [.. TrainCommand.ValueOptions.Concat(TrainCommand.Flags).Except(ReservedOptions).Order()];
                throw Error($"unknown option '{name}' in {where}; the train options are {string.Join(", ", valid)}");
            }
            return name;
        }

        /// <summary>One option's value: a flag takes true or false; milestones also take a list; every other option one value.</summary>
        public TrialOption Option(string name, YamlNode value, string where)
        {
            if (TrainCommand.Flags.Contains(name))
            {
                string flag = ScalarValue(value, where);
                return flag switch
                {
                    "true" => new TrialOption(name, null, true),
                    "false" => new TrialOption(name, null, false),
                    _ => throw Error($"{where} is a flag: true or false, not '{flag}'"),
                };
            }
            if (name == "milestones" && value is YamlSequenceNode list)
            {
                return new TrialOption(name, string.Join(',', list.Children.Select((v, i) => ScalarValue(v, $"{where}[{i}]"))), true);
            }
            return new TrialOption(name, ScalarValue(value, where), true);
        }
    }
}

/// <summary>One train option of a trial: a value option (<c>--lr 0.5</c>) or a flag set on or off.</summary>
internal sealed record TrialOption(string Name, string? Value, bool On)
{
    /// <summary>The option as command-line arguments.</summary>
    public IEnumerable<string> Arguments => !On ? [] : Value is null ? ["--" + Name] : ["--" + Name, Value];

    /// <summary>The option in a trial's name: <c>lr-0.5</c>, <c>channels-last</c> or <c>no-channels-last</c>.</summary>
    public string NamePart => Value is null ? (On ? Name : "no-" + Name) : $"{Name}-{Value.Replace(',', '+')}";
}

/// <summary>An entry of a sweep's <c>trials</c> list: its options and, optionally, its name.</summary>
internal sealed record NamedOptions(string? Name, IReadOnlyList<TrialOption> Options);
