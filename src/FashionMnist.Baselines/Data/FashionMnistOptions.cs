using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FashionMnist.Baselines.Data;

/// <summary>Where <see cref="FashionMnist"/> looks for the data and how it loads it.</summary>
public sealed record FashionMnistOptions
{
    /// <summary>
    /// A directory that holds the files (<c>.gz</c> or raw IDX). When set, only this directory is used, and so is
    /// <c>$FASHION_MNIST_DIR</c> when this is null and the variable is set: a named directory without the files is an
    /// error, never a fallback. When neither is set, the search goes: the user cache
    /// (<c>$XDG_CACHE_HOME/fashion-mnist</c> or <c>~/.cache/fashion-mnist</c>);
    /// <c>/usr/share/datasets/fashion-mnist</c> (Debian's <c>dataset-fashion-mnist</c>); then a download into the user
    /// cache.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Whether to download the official files into the user cache when no copy is found. Default true.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Where to download from. Default: <see cref="FashionMnistFiles.OfficialBaseUri"/>.</summary>
    public Uri DownloadBaseUri { get; init; } = FashionMnistFiles.OfficialBaseUri;

    /// <summary>The normalisation the loaded set applies to its batches. Default: <see cref="ImageNormalization.FashionMnist"/>.</summary>
    public ImageNormalization Normalization { get; init; } = ImageNormalization.FashionMnist;

    /// <summary>Whether to check the MD5 of the decompressed content against the official files. Default true (about 0.1 s).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Receives what was found, downloaded and loaded. Default: no logging.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Receives the progress of each file while it downloads (about 30 MB in all): once when its transfer starts and
    /// after every chunk received. Default: none.
    /// </summary>
    public IProgress<DownloadProgress>? DownloadProgress { get; init; }

    /// <summary>Reads environment variables; replaced by tests.</summary>
    internal Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Debian's folder; replaced by tests.</summary>
    internal string SystemDirectory { get; init; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>Makes the HTTP client for downloads; replaced by tests.</summary>
    internal Func<HttpClient> CreateHttpClient { get; init; } = () => new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>The expected MD5 of each downloaded <c>.gz</c>; replaced by tests.</summary>
    internal IReadOnlyDictionary<string, string> DownloadMd5 { get; init; } = FashionMnistFiles.OfficialGzipMd5;

    /// <summary>The SHA-256 each downloaded <c>.gz</c> must have (tests serve other files).</summary>
    internal IReadOnlyDictionary<string, string> DownloadSha256 { get; init; } = FashionMnistFiles.OfficialGzipSha256;
}
