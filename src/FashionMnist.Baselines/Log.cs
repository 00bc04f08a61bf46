using FashionMnist.Baselines.Data;
using Microsoft.Extensions.Logging;

namespace FashionMnist.Baselines;

/// <summary>The library's log messages, generated at compile time so that disabled levels cost nothing.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Downloading {Source} to {Target}")]
    public static partial void Downloading(ILogger logger, Uri source, string target);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Downloaded and verified {Target}")]
    public static partial void Downloaded(ILogger logger, string target);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "Loaded Fashion-MNIST {Part}: {Count} images from {Path} (read and checked in {ReadMs:F0} ms, tensors in {DecodeMs:F0} ms)")]
    public static partial void Loaded(ILogger logger, FashionMnistPart part, int count, string path, double readMs, double decodeMs);
}
