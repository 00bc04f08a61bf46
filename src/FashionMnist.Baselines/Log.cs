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
    public static partial void Loaded(ILogger logger, string part, int count, string path, double readMs, double decodeMs);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Training on {TrainCount} images (validation {ValidationCount}) for {Epochs}, batch {BatchSize}, {Optimizer}, schedule {Schedule}, device {Device}")]
    public static partial void TrainingStarted(ILogger logger, int trainCount, int validationCount, string epochs, int batchSize, string optimizer, string schedule, string device);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs} finished: {Figures}")]
    public static partial void EpochFinished(ILogger logger, int epoch, int epochs, string figures);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Non-finite loss {Loss} in epoch {Epoch}, batch {Batch}")]
    public static partial void NonFiniteLoss(ILogger logger, int epoch, int batch, double loss);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Resumed from {Directory} after epoch {Epoch}")]
    public static partial void Resumed(ILogger logger, string directory, int epoch);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Stopped after epoch {Epoch}: {Reason}")]
    public static partial void Stopped(ILogger logger, int epoch, string reason);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Training in bfloat16: {Why}")]
    public static partial void BFloat16Emulated(ILogger logger, string why);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Cancelled in epoch {Epoch}, after batch {Batch}; last checkpoint: {Checkpoint}")]
    public static partial void Cancelled(ILogger logger, int epoch, int batch, string checkpoint);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Saved checkpoint {Directory} after epoch {Epoch}")]
    public static partial void CheckpointSaved(ILogger logger, string directory, int epoch);
}
