namespace FashionMnist.Baselines;

/// <summary>Writes files so that readers see the old content or the new, never a half-written file.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    public static void WriteAllText(string path, string content)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
