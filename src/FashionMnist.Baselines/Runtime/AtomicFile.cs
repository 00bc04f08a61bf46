namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Writes files so that readers see the old content or the new, never a half-written file. Every file the library and
/// the Plots package write goes through it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    /// <exception cref="FileWriteException">The file cannot be written; the message names it.</exception>
    public static void WriteAllText(string path, string content) => Write(path, temporary => File.WriteAllText(temporary, content));

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/> (same extension, so that
    /// writers that look at it still work), then renames it over <paramref name="path"/>; the temporary file never stays.
    /// </summary>
    /// <exception cref="FileWriteException">The folder cannot be made or the file cannot be written or renamed; the message names the file.</exception>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string temporary = $"{full}.{Guid.NewGuid():N}.partial{Path.GetExtension(full)}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            write(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileWriteException)
        {
            throw new FileWriteException(full, e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
