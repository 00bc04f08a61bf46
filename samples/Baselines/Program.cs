using FashionMnist.Baselines.Cli;

// The Fashion-MNIST baselines from the command line: models, train, evaluate, report.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop at the next batch boundary and keep the checkpoint. A second one ends the process.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return CommandLine.Run(args, cancellation.Token);
