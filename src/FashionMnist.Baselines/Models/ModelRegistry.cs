using System.Globalization;
using System.Text.RegularExpressions;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// Resolves model names to factories: <c>cnn</c>, <c>cnn-torchbn</c>, <c>mobilenet[-28][-alpha]</c>,
/// <c>wrn-depth-k</c>, <c>resnet-depth</c> and <c>resnet9-width</c>.
/// </summary>
public static partial class ModelRegistry
{
    /// <summary>The names listed by tools and docs: the published configurations.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "cnn", "cnn-torchbn",
        "mobilenet", "mobilenet-0.75", "mobilenet-0.5", "mobilenet-0.25",
        "mobilenet-28", "mobilenet-28-0.75", "mobilenet-28-0.5", "mobilenet-28-0.25",
        "wrn-16-4", "wrn-16-8", "wrn-28-10", "wrn-40-4",
        "resnet-20", "resnet-32", "resnet-44", "resnet-56", "resnet-110",
        "resnet9-32", "resnet9-64",
    ];

    /// <summary>The factories of <see cref="Names"/>, in that order.</summary>
    public static IEnumerable<IModelFactory> All => Names.Select(Resolve);

    /// <summary>Returns the factory for <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names and patterns.</exception>
    public static IModelFactory Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        switch (key)
        {
            case "cnn": return new CnnFactory(BatchNormStyle.Keras);
            case "cnn-torchbn": return new CnnFactory(BatchNormStyle.PyTorch);
        }

        Match match = MobileNetPattern().Match(key);
        if (match.Success)
        {
            double alpha = match.Groups["alpha"].Success ? double.Parse(match.Groups["alpha"].Value, CultureInfo.InvariantCulture) : 1.0;
            if (alpha is > 0 and <= 1)
            {
                return new MobileNetFactory(alpha, match.Groups["native"].Success ? MobileNetInput.Native28 : MobileNetInput.Resized56);
            }
        }

        match = WideResNetPattern().Match(key);
        if (match.Success)
        {
            int depth = int.Parse(match.Groups["depth"].Value, CultureInfo.InvariantCulture);
            int widen = int.Parse(match.Groups["widen"].Value, CultureInfo.InvariantCulture);
            if (depth >= 10 && (depth - 4) % 6 == 0 && widen >= 1) return new WideResNetFactory(depth, widen);
        }

        match = ResNetPattern().Match(key);
        if (match.Success)
        {
            int depth = int.Parse(match.Groups["depth"].Value, CultureInfo.InvariantCulture);
            if (depth >= 8 && (depth - 2) % 6 == 0) return new ResNetFactory(depth);
        }

        match = ResNet9Pattern().Match(key);
        if (match.Success)
        {
            int width = int.Parse(match.Groups["width"].Value, CultureInfo.InvariantCulture);
            if (width >= 1) return new ResNet9Factory(width);
        }

        throw new ArgumentException(
            $"Unknown model '{name}'. Valid names: {string.Join(", ", Names)}; also mobilenet[-28]-<alpha in (0, 1]>, " +
            "wrn-<depth 6n+4>-<k>, resnet-<depth 6n+2> and resnet9-<width>.", nameof(name));
    }

    [GeneratedRegex(@"^mobilenet(?<native>-28)?(-(?<alpha>[0-9]*\.?[0-9]+))?$")]
    private static partial Regex MobileNetPattern();

    [GeneratedRegex(@"^wrn-(?<depth>[0-9]{1,3})-(?<widen>[0-9]{1,2})$")]
    private static partial Regex WideResNetPattern();

    [GeneratedRegex(@"^resnet-(?<depth>[0-9]{1,4})$")]
    private static partial Regex ResNetPattern();

    [GeneratedRegex(@"^resnet9-(?<width>[0-9]{1,3})$")]
    private static partial Regex ResNet9Pattern();
}
