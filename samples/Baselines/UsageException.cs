namespace FashionMnist.Baselines.Cli;

/// <summary>The command line is wrong: an unknown command or option, a missing or malformed value.</summary>
internal sealed class UsageException(string message) : Exception(message);
