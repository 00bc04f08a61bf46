namespace FashionMnist.Baselines;

/// <summary>
/// One or more options have values outside their allowed ranges. Options are checked together, so the exception lists
/// every invalid option of the call (<see cref="Errors"/>), each with its name and what would be accepted, as
/// Microsoft.Extensions.Options' <c>OptionsValidationException</c> does.
/// </summary>
public sealed class InvalidOptionException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="option"/> = <paramref name="value"/>.</summary>
    public InvalidOptionException(string option, object? value, string allowed)
        : this([new OptionError(option, value, allowed)])
    {
    }

    /// <summary>Creates the exception for all of <paramref name="errors"/> (at least one).</summary>
    public InvalidOptionException(IReadOnlyList<OptionError> errors)
        : base(Describe(errors), errors.Count > 0 ? errors[0].Option : throw new ArgumentException("At least one error is needed.", nameof(errors)))
    {
        Errors = errors.ToArray();
    }

    /// <summary>Every invalid option of the call, in the order they were checked.</summary>
    public IReadOnlyList<OptionError> Errors { get; }

    /// <summary>The first invalid option's name, such as <c>TrainerOptions.Epochs</c>.</summary>
    public string Option => Errors[0].Option;

    /// <summary>The first invalid option's rejected value.</summary>
    public object? Value => Errors[0].Value;

    /// <summary>What the first invalid option would have accepted.</summary>
    public string Allowed => Errors[0].Allowed;

    static string Describe(IReadOnlyList<OptionError> errors) => errors.Count == 1
        ? errors[0].ToString()
        : $"{errors.Count} options are invalid: " + string.Join("; ", errors);

    internal static void Check(bool valid, string option, object? value, string allowed)
    {
        if (!valid) throw new InvalidOptionException(option, value, allowed);
    }
}

/// <summary>One invalid option: its name, the rejected value and what would be accepted.</summary>
/// <param name="Option">The option's name, such as <c>TrainerOptions.Epochs</c>.</param>
/// <param name="Value">The rejected value.</param>
/// <param name="Allowed">What would have been accepted.</param>
public sealed record OptionError(string Option, object? Value, string Allowed)
{
    /// <inheritdoc />
    public override string ToString() => $"{Option} = {Format(Value)} is invalid: {Allowed}.";

    static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object>()) + "]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Collects the invalid options of one call, so that all of them are reported together.</summary>
internal sealed class OptionChecks
{
    readonly List<OptionError> _errors = [];

    public void Check(bool valid, string option, object? value, string allowed)
    {
        if (!valid) _errors.Add(new OptionError(option, value, allowed));
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new InvalidOptionException(_errors);
    }
}
