namespace FashionMnist.Baselines.Recipes;

/// <summary>A recipe run was cancelled; says whether, and from where, it can be resumed.</summary>
public sealed class RunCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception for a run whose last checkpoint is <paramref name="resumeFrom"/> (null: none yet).</summary>
    public RunCancelledException(string? resumeFrom, OperationCanceledException inner)
        : base(resumeFrom is null
            ? "The run was cancelled before its first epoch ended: there is no checkpoint to resume from."
            : $"The run was cancelled; its last checkpoint is {resumeFrom} (resume from it with TrainerOptions.ResumeFrom).", inner, inner.CancellationToken)
    {
        ResumeFrom = resumeFrom;
    }

    /// <summary>
    /// The checkpoint to resume from (<see cref="Training.TrainerOptions.ResumeFrom"/>): this run's last one, or the one
    /// it resumed from when it saved none; null when there is none.
    /// </summary>
    public string? ResumeFrom { get; }
}
