using System.Globalization;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary><c>models</c>: every registered model with its parameters and multiply-adds for 1x28x28 input and 10 classes.</summary>
internal static class ModelsCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var arguments = new Arguments(args, [], ["summary"]);
        var table = new Table().AddColumns("model", "trainable parameters", "multiply-adds / image", "description");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        var shape = new ImageShape(1, 28, 28);
        IEnumerable<IModelFactory> factories = arguments.Positional.Count > 0 ? arguments.Positional.Select(ModelName.Resolve).ToList() : ModelRegistry.All;
        foreach (IModelFactory factory in factories)
        {
            ModelSummary summary = factory.Describe(shape, 10);
            table.AddRow(factory.Name, summary.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture),
                $"{summary.MultiplyAdds / 1e6:F1} M", Markup.Escape(factory.Description));
            if (arguments.Has("summary")) AnsiConsole.WriteLine(summary.ToString());
        }
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }
}
