namespace FashionMnist.Baselines.Cli;

/// <summary>The CLI's exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int DataMissingOrDamaged = 3;
    public const int BadWeights = 4;
    public const int TrainingDiverged = 5;
    public const int OutputNotWritable = 6;
    public const int Cancelled = 130;
}
