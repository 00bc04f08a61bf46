using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using Spectre.Console;

// The Fashion-MNIST baselines from the command line: models, train, evaluate, report.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop at the next batch boundary and keep the checkpoint. A second one ends the process.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};

const string Usage = """
    Usage: dotnet run -c Release --project samples/Baselines -- <command> [options]

    Commands:
      models [name ...] [--summary]        every model with its parameters and multiply-adds per image
      train <model> [options]              train with the model's published recipe into a run folder
      evaluate <weights|run folder>        test-set report of saved weights [--model m] [--predictions file.csv]
      report <run folder>                  rebuild report.md, metrics.json and the PNGs of a run

    train options (each overrides the recipe):
      --epochs N  --batch-size N  --optimizer sgd|adam|adamw|adamax|adadelta  --lr X  --momentum X  --nesterov
      --weight-decay X  --schedule constant|step|multistep|cosine|onecycle|plateau  --milestones 150,225  --gamma X
      --step-size N  --max-lr X  --augmentation none|flip|crop-flip|random-erasing  --random-erasing P
      --label-smoothing X  --clip X  --validation-size N (default 5000, 0 = none)  --train-subset N  --seed N
      --device cpu|cuda[:N]  --threads N  --data-dir DIR  --output DIR  --resume CHECKPOINT  --monitor-test  --verbose
    """;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
    }
    string[] rest = args[1..];
    return args[0] switch
    {
        "models" => ModelsCommand.Run(rest),
        "train" => TrainCommand.Run(rest, cancellation.Token),
        "evaluate" => EvaluateCommand.Run(rest, cancellation.Token),
        "report" => ReportCommand.Run(rest, cancellation.Token),
        _ => throw new UsageException($"Unknown command '{args[0]}'. Commands: models, train, evaluate, report."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run with --help for the commands and options.");
    return ExitCodes.Usage;
}
catch (InvalidOptionException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Usage;
}
catch (FashionMnistNotFoundException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.DataMissingOrDamaged;
}
catch (IdxFormatException e)
{
    Console.Error.WriteLine($"error: a Fashion-MNIST file is damaged: {e.Message}");
    return ExitCodes.DataMissingOrDamaged;
}
catch (ModelWeightsMismatchException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.BadWeights;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.BadWeights;
}
catch (IOException e) when (e.Message.Contains("not a TorchSharp weights file", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.BadWeights;
}
catch (NonFiniteLossException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.TrainingDiverged;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return ExitCodes.Cancelled;
}
catch (Exception e)
{
    AnsiConsole.WriteException(e);
    return ExitCodes.Failure;
}
