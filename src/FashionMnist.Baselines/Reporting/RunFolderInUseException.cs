namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// A new run was started in a folder that already holds a run: refused, so that no run is lost or mixed with another.
/// Resume the run in it, overwrite it explicitly, or write the new run into another folder.
/// </summary>
public sealed class RunFolderInUseException : IOException
{
    /// <summary>Creates the exception for <paramref name="folder"/>.</summary>
    public RunFolderInUseException(string folder)
        : base($"{folder} already holds a run. Resume it from {System.IO.Path.Combine(folder, "checkpoints", "last")} (TrainerOptions.ResumeFrom), " +
               "replace it (RunSettings.Overwrite), or write the new run into another folder.")
    {
        Folder = folder;
    }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>The checkpoint that resumes the run in the folder.</summary>
    public string ResumeFrom => System.IO.Path.Combine(Folder, "checkpoints", "last");
}
