using System.Globalization;

namespace FashionMnist.Baselines.Reporting;

/// <summary>
/// The lock a run holds on its folder while it writes there: a file beside the folder (<c>.name.lock</c>), opened
/// exclusively, and beside it <c>.name.lock.owner</c> with the writer's process id, host and start time (a separate file,
/// because an exclusively opened file cannot be read by other .NET processes). On Linux and macOS .NET takes an
/// advisory <c>flock</c> on the lock file, which the kernel drops when the process ends however it ends, so a lock left
/// by a killed process is stale by construction: the next writer takes it over and <see cref="TakenOverFrom"/> says from
/// whom. (Advisory locks do not reach across machines on every network file system; give each machine its own output
/// folder.)
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    readonly FileStream _stream;

    RunFolderLock(FileStream stream, string path, string? takenOverFrom)
    {
        _stream = stream;
        Path = path;
        TakenOverFrom = takenOverFrom;
    }

    static string OwnerPath(string path) => path + ".owner";

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>What a stale lock left by an ended process said (its process id, host and start), or null.</summary>
    public string? TakenOverFrom { get; }

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> at once, or refuses. A run's writers take it through
    /// <see cref="RunFolder.Lock"/>, which also repairs an interrupted overwrite; this is for work that spans more
    /// than one run's writes under a name of its own (a sweep holds <c>&lt;trial&gt;.trial</c> while it decides
    /// whether a trial is finished, resumes or starts, and while the trial trains).
    /// </summary>
    /// <exception cref="RunFolderLockedException">Another live process holds it; the message names it.</exception>
    public static RunFolderLock Take(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder));
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.lock");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RunFolderLockedException(full, ReadHolder(path), e);
        }
        try
        {
            // A lock file that was already there belonged to a process that ended without removing it.
            string? previous = ReadOwner(path);
            string owner = FormattableString.Invariant($"process {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:u}");
            Runtime.AtomicFile.WriteAllText(OwnerPath(path), owner);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(owner); // for `cat`, which takes no lock
            stream.Flush();
            return new RunFolderLock(stream, path, previous);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    static string ReadHolder(string path) => ReadOwner(path) ?? "a process that has not written its id yet";

    static string? ReadOwner(string path)
    {
        try
        {
            string text = File.ReadAllText(OwnerPath(path)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null; // no owner file: the writer died before writing it, or there never was one
        }
    }

    /// <summary>Releases the lock and removes the lock file.</summary>
    public void Dispose()
    {
        // Deleted while still held, so no other writer can take a lock on a file that is about to vanish.
        try
        {
            File.Delete(OwnerPath(Path));
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Best effort: a leftover file without a holder is a stale lock, which the next writer takes over.
        }
        _stream.Dispose();
    }
}
