using FashionMnist.Baselines.Data;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// Shows the library's download progress as plain lines (on standard error, so that standard output stays the run's
/// own): one when a file starts, one at each quarter of it, one when it is complete. Plain lines rather than a live bar
/// because the download happens before the training display starts and may run in a log file or CI.
/// </summary>
internal sealed class DownloadDisplay(TextWriter output) : IProgress<DownloadProgress>
{
    /// <summary>Where the progress goes when the size is unknown: a line every this many bytes.</summary>
    const long UnknownSizeStep = 8 << 20;

    string? _file;
    long _nextLine;

    public void Report(DownloadProgress value)
    {
        if (value.File != _file || value.BytesReceived == 0)
        {
            _file = value.File;
            output.WriteLine($"Downloading {value.File} ({(value.TotalBytes is long total ? Megabytes(total) : "size unknown")})");
            _nextLine = Step(value);
            return;
        }
        if (value.TotalBytes is long size && value.BytesReceived >= size)
        {
            output.WriteLine($"Downloaded {value.File}: {Megabytes(value.BytesReceived)}");
            _nextLine = long.MaxValue;
            return;
        }
        if (value.BytesReceived >= _nextLine)
        {
            string share = value.TotalBytes is long known ? $" ({100 * value.BytesReceived / known}%)" : "";
            output.WriteLine($"  {value.File}: {Megabytes(value.BytesReceived)}{share}");
            while (_nextLine <= value.BytesReceived) _nextLine += Step(value);
        }
    }

    static long Step(DownloadProgress value) =>
        value.TotalBytes is long total and > 0 ? Math.Max(1, (total + 3) / 4) : UnknownSizeStep;

    static string Megabytes(long bytes) => $"{bytes / 1e6:F1} MB";
}
