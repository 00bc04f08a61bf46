namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Writes files so that readers see the old content or the new, never a half-written file. Every file the library and
/// the Plots package write goes through it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    public static void WriteAllText(string path, string content) => Write(path, temporary => File.WriteAllText(temporary, content));

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/> (same extension, so that
    /// writers that look at it still work), then renames it over <paramref name="path"/>; the temporary file never stays.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = $"{full}.{Guid.NewGuid():N}.partial{Path.GetExtension(full)}";
        try
        {
            write(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
