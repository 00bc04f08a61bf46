using System.Globalization;

namespace FashionMnist.Baselines;

/// <summary>"1 epoch", "2 epochs": counts in messages read as English.</summary>
internal static class Plural
{
    public static string Of(long count, string noun) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
