using System.Globalization;
using FashionMnist.Baselines.Data;

namespace FashionMnist.Baselines.Cli;

/// <summary>Positional arguments and <c>--name value</c> / <c>--flag</c> options, checked against the options a command knows.</summary>
internal sealed class Arguments
{
    readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public Arguments(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            string name = arg[2..];
            if (flags.Contains(name))
            {
                _options[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (i + 1 >= args.Count) throw new UsageException($"Option --{name} needs a value.");
                _options[name] = args[++i];
            }
            else
            {
                throw new UsageException($"Unknown option --{name}. Valid options: {string.Join(", ", valueOptions.Concat(flags).Order().Select(o => "--" + o))}.");
            }
        }
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    /// <summary>
    /// Where and how a command loads Fashion-MNIST: <c>--data-dir</c>, the given normalisation, and download progress
    /// shown on standard error.
    /// </summary>
    public FashionMnistOptions DataOptions(ImageNormalization normalization) => new()
    {
        DataDirectory = String("data-dir"),
        Normalization = normalization,
        DownloadProgress = new DownloadDisplay(Console.Error),
    };

    public bool Has(string name) => _options.ContainsKey(name);

    public string? String(string name) => _options.GetValueOrDefault(name);

    public int? Int(string name, int min, int max)
    {
        if (String(name) is not string text) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException($"--{name} {text}: expected a whole number in {min}..{max}.");
        }
        return value;
    }

    public double? Double(string name, double min, double max)
    {
        if (String(name) is not string text) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min && value <= max))
        {
            throw new UsageException($"--{name} {text}: expected a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        }
        return value;
    }

    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        if (String(name) is not string text) return null;
        return choices.TryGetValue(text.ToLowerInvariant(), out T value)
            ? value
            : throw new UsageException($"--{name} {text}: expected one of {string.Join(", ", choices.Keys)}.");
    }

    public int[]? IntList(string name)
    {
        if (String(name) is not string text) return null;
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"--{name} {text}: expected comma-separated whole numbers, such as 150,225.");
        }
    }
}
