using System.Globalization;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// The arguments after the command name: <c>--name value</c> pairs, <c>--flag</c> switches (an option followed by
/// another option or by nothing) and positional words, in any order.
/// </summary>
internal sealed class BenchArguments
{
    readonly Dictionary<string, string?> _values = new();

    public List<string> Positional { get; } = [];

    public static BenchArguments Parse(string[] args)
    {
        var o = new BenchArguments();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) o.Positional.Add(args[i]);
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) o._values[args[i][2..]] = args[++i];
            else o._values[args[i][2..]] = null;
        }
        return o;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public int? Int(string name) => String(name) is string s ? int.Parse(s, CultureInfo.InvariantCulture) : null;
}
