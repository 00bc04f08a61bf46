namespace FashionMnist.Baselines.Cli;

/// <summary>The output file cannot be written (a read-only folder, a path through a file, a full disk): exit code 6.</summary>
internal sealed class OutputNotWritableException(string message, Exception inner) : Exception(message, inner);
