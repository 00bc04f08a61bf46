namespace FashionMnist.Baselines;

/// <summary>A training option has a value outside its allowed range.</summary>
public sealed class InvalidOptionException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="option"/> = <paramref name="value"/>.</summary>
    public InvalidOptionException(string option, object? value, string allowed)
        : base($"{option} = {Format(value)} is invalid: {allowed}.", option)
    {
        Option = option;
        Value = value;
        Allowed = allowed;
    }

    /// <summary>The option's name, such as <c>TrainerOptions.Epochs</c>.</summary>
    public string Option { get; }

    /// <summary>The rejected value.</summary>
    public object? Value { get; }

    /// <summary>What would have been accepted.</summary>
    public string Allowed { get; }

    static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object>()) + "]",
        _ => value.ToString() ?? "",
    };

    internal static void Check(bool valid, string option, object? value, string allowed)
    {
        if (!valid) throw new InvalidOptionException(option, value, allowed);
    }
}
