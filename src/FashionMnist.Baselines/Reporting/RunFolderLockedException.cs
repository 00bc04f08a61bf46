namespace FashionMnist.Baselines.Reporting;

/// <summary>Another live process is writing a run into the folder (it holds the folder's <see cref="RunFolderLock"/>).</summary>
public sealed class RunFolderLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="folder"/>, locked by <paramref name="holder"/>.</summary>
    public RunFolderLockedException(string folder, string holder, Exception? innerException = null)
        : base($"{folder} is in use by another run ({holder}); wait for it to end, or write into another folder.", innerException)
    {
        Folder = folder;
        Holder = holder;
    }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>Who holds the lock: process id, host and since when, as its lock file says.</summary>
    public string Holder { get; }
}
