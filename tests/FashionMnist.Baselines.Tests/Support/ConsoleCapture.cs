using Spectre.Console;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>
/// Captures what the CLI writes through Spectre's <see cref="AnsiConsole"/> until disposed: plain text, not interactive,
/// and wide enough that no line is wrapped (the CLI's messages hold long paths). Only the CLI tests write there, and
/// they run one at a time, so swapping the static console is safe.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    readonly IAnsiConsole previous = AnsiConsole.Console;
    readonly StringWriter writer = new();

    public ConsoleCapture()
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100_000;
        AnsiConsole.Console = console;
    }

    public string Text => writer.ToString();

    public void Dispose() => AnsiConsole.Console = previous;
}
