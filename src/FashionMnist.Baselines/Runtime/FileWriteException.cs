namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// A file could not be written (a read-only folder, a path through a file, a full disk); nothing was left half-written.
/// Every file the library writes goes through <see cref="AtomicFile"/>, which throws this, naming the file.
/// </summary>
public sealed class FileWriteException(string filePath, Exception innerException)
    : IOException($"Cannot write {filePath}: {innerException?.Message}", innerException)
{
    /// <summary>The file that could not be written.</summary>
    public string FilePath { get; } = filePath;
}
