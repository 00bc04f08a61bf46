using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// Downloads the official <c>.gz</c> files into a directory. Each file is written under a temporary name, its SHA-256
/// and then its published MD5 are checked, and only then is it renamed to its final name: an interrupted, corrupted or
/// substituted download never looks complete. (Loading then checks the decompressed content's SHA-256 as well.)
/// </summary>
internal sealed class FashionMnistDownloader(FashionMnistOptions options)
{
    /// <summary>Downloads every one of the four files that <paramref name="directory"/> lacks.</summary>
    /// <exception cref="HttpRequestException">A request failed.</exception>
    /// <exception cref="InvalidDataException">A downloaded file has the wrong SHA-256 or MD5.</exception>
    public async Task DownloadMissingAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using HttpClient client = options.CreateHttpClient();
        foreach (string name in FashionMnistFiles.All)
        {
            if (FashionMnistFiles.Find(directory, name) != null) continue;
            await DownloadAsync(client, name, directory, cancellationToken).ConfigureAwait(false);
        }
    }

    async Task DownloadAsync(HttpClient client, string name, string directory, CancellationToken cancellationToken)
    {
        var source = new Uri(options.DownloadBaseUri, name + ".gz");
        string target = Path.Combine(directory, name + ".gz");
        string temporary = Path.Combine(directory, $".{name}.gz.{Guid.NewGuid():N}.partial");
        Log.Downloading(options.Logger, source, target);
        try
        {
            string sha256, md5;
            using (HttpResponseMessage response = await client.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                long? total = response.Content.Headers.ContentLength;
                long received = 0;
                options.DownloadProgress?.Report(new DownloadProgress(Path.GetFileName(target), received, total));
                await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    options.DownloadProgress?.Report(new DownloadProgress(Path.GetFileName(target), received, total));
                }
                md5 = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
                sha256 = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
            }

            foreach ((string algorithm, string actual, string expected) in new[] { ("SHA-256", sha256, options.DownloadSha256[name]), ("MD5", md5, options.DownloadMd5[name]) })
            {
                if (actual != expected)
                {
                    throw new InvalidDataException($"{source} has {algorithm} {actual}; the official {name}.gz has {expected}. The file was discarded.");
                }
            }
            File.Move(temporary, target, overwrite: true);
            Log.Downloaded(options.Logger, target);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
