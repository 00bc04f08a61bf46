using System.Diagnostics;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// Loads Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) into memory as an <see cref="InMemoryDataset"/>: uint8 images
/// <c>[N, 1, 28, 28]</c> and int64 labels, validated and decoded in bulk.
/// </summary>
public static class FashionMnistDataset
{
    /// <summary>The environment variable that names a directory holding the files.</summary>
    public const string DirectoryVariable = "FASHION_MNIST_DIR";

    /// <summary>
    /// Finds (or downloads) and loads one part of Fashion-MNIST. See <see cref="FashionMnistOptions.DataDirectory"/> for
    /// the search order.
    /// </summary>
    /// <exception cref="FashionMnistNotFoundException">No copy was found and none could be downloaded.</exception>
    /// <exception cref="IdxFormatException">A file is damaged or is not the official one.</exception>
    public static InMemoryDataset Load(FashionMnistPart part, FashionMnistOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FashionMnistOptions();
        string directory = Locate(options, cancellationToken);
        string images = FashionMnistFiles.Find(directory, FashionMnistFiles.ImagesFile(part))!;
        string labels = FashionMnistFiles.Find(directory, FashionMnistFiles.LabelsFile(part))!;
        return LoadOfficial(part, images, labels, options);
    }

    /// <summary>
    /// The directory that <see cref="Load"/> would use, downloading into the user cache if needed and allowed.
    /// </summary>
    /// <exception cref="FashionMnistNotFoundException">No copy was found and none could be downloaded.</exception>
    public static string Locate(FashionMnistOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FashionMnistOptions();
        var searched = new List<string>();

        // A directory the caller named is the only one used: falling back elsewhere would hide a mistake.
        string? variable = options.GetEnvironmentVariable(DirectoryVariable);
        (string Place, string? Directory) named = options.DataDirectory != null
            ? ("the DataDirectory option", options.DataDirectory)
            : ($"${DirectoryVariable}", string.IsNullOrWhiteSpace(variable) ? null : variable);
        if (named.Directory != null)
        {
            if (Complete(named.Directory, searched, named.Place)) return named.Directory;
            throw NotFound(searched, downloadError: null, downloadAllowed: false);
        }

        string cache = CacheDirectory(options);
        if (Complete(cache, searched, "the user cache")) return cache;
        if (Complete(options.SystemDirectory, searched, "Debian's dataset-fashion-mnist")) return options.SystemDirectory;

        if (!options.AllowDownload) throw NotFound(searched, downloadError: null, downloadAllowed: false);
        try
        {
            new FashionMnistDownloader(options).DownloadMissingAsync(cache, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or UnauthorizedAccessException or TaskCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            throw NotFound(searched, e, downloadAllowed: true, options.DownloadBaseUri);
        }
        return cache;
    }

    /// <summary>
    /// Loads an image file and a label file in IDX format (raw or <c>.gz</c>) of any size, with Fashion-MNIST's class
    /// names. Checks that the counts agree and that every label is a class.
    /// </summary>
    /// <exception cref="IdxFormatException">A file is damaged, or the two files do not belong together.</exception>
    public static InMemoryDataset LoadFiles(string imagesPath, string labelsPath, ImageNormalization? normalization = null)
    {
        IdxImages images = IdxFile.ReadImages(imagesPath);
        IdxLabels labels = IdxFile.ReadLabels(labelsPath);
        return ToDataset(imagesPath, images, labelsPath, labels, normalization ?? ImageNormalization.FashionMnist);
    }

    static InMemoryDataset LoadOfficial(FashionMnistPart part, string imagesPath, string labelsPath, FashionMnistOptions options)
    {
        var clock = Stopwatch.StartNew();
        // The two files are independent: decompress them at the same time.
        Task<IdxLabels> labelsTask = Task.Run(() => IdxFile.ReadLabels(labelsPath));
        IdxImages images = IdxFile.ReadImages(imagesPath);
        IdxLabels labels = labelsTask.GetAwaiter().GetResult();
        TimeSpan read = clock.Elapsed;

        int expected = FashionMnistFiles.Count(part);
        if (images.Rows != FashionMnistFiles.ImageSide || images.Columns != FashionMnistFiles.ImageSide)
        {
            throw new IdxFormatException(imagesPath, $"holds {images.Rows}x{images.Columns} images; Fashion-MNIST images are 28x28.");
        }
        if (images.Count != expected)
        {
            throw new IdxFormatException(imagesPath, $"holds {images.Count} images; the Fashion-MNIST {part} set has {expected}.");
        }
        if (options.VerifyChecksums)
        {
            VerifyContent(imagesPath, FashionMnistFiles.ImagesFile(part), images.Content);
            VerifyContent(labelsPath, FashionMnistFiles.LabelsFile(part), labels.Content);
        }

        clock.Restart();
        InMemoryDataset dataset = ToDataset(imagesPath, images, labelsPath, labels, options.Normalization);
        Log.Loaded(options.Logger, part.ToString(), dataset.Count, imagesPath, read.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
        return dataset;
    }

    /// <summary>SHA-256 first (the check), then MD5 (the published cross-check) of the decompressed content.</summary>
    static void VerifyContent(string path, string name, ContentHashes content)
    {
        foreach ((string algorithm, string actual, string expected) in new[]
        {
            ("SHA-256", content.Sha256, FashionMnistFiles.ContentSha256[name]),
            ("MD5", content.Md5, FashionMnistFiles.ContentMd5[name]),
        })
        {
            if (actual != expected)
            {
                throw new IdxFormatException(path,
                    $"has decompressed {algorithm} {actual}, not the official {expected} of {name}: the file is damaged or is not Fashion-MNIST " +
                    "(set VerifyChecksums to false to load it anyway).");
            }
        }
    }

    static InMemoryDataset ToDataset(string imagesPath, IdxImages images, string labelsPath, IdxLabels labels, ImageNormalization normalization)
    {
        if (images.Count != labels.Labels.Length)
        {
            throw new IdxFormatException(labelsPath, $"holds {labels.Labels.Length} labels but {imagesPath} holds {images.Count} images.");
        }
        int classes = FashionMnistFiles.ClassNames.Count;
        int bad = labels.Labels.AsSpan().IndexOfAnyInRange((byte)classes, byte.MaxValue);
        if (bad >= 0)
        {
            throw new IdxFormatException(labelsPath, $"has label {labels.Labels[bad]} at index {bad}; Fashion-MNIST labels are 0..{classes - 1}.");
        }

        // One bulk copy each: the pixel bytes become the uint8 tensor, the label bytes an int64 tensor.
        Tensor imageTensor = tensor(images.Pixels, [images.Count, 1, images.Rows, images.Columns]);
        using Tensor labelBytes = tensor(labels.Labels, [labels.Labels.Length]);
        Tensor labelTensor = labelBytes.to_type(ScalarType.Int64);
        return new InMemoryDataset(imageTensor, labelTensor, FashionMnistFiles.ClassNames, normalization);
    }

    static bool Complete(string directory, List<string> searched, string place)
    {
        string[] missing = FashionMnistFiles.All.Where(name => FashionMnistFiles.Find(directory, name) == null).ToArray();
        if (missing.Length == 0) return true;
        string what = !Directory.Exists(directory)
            ? "does not exist"
            : $"lacks {string.Join(", ", missing.Select(m => m + "[.gz]"))}";
        searched.Add($"{directory} ({place}): {what}");
        return false;
    }

    static string CacheDirectory(FashionMnistOptions options)
    {
        string? xdg = options.GetEnvironmentVariable("XDG_CACHE_HOME");
        string cacheRoot = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(options.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheRoot, "fashion-mnist");
    }

    static FashionMnistNotFoundException NotFound(List<string> searched, Exception? downloadError, bool downloadAllowed, Uri? source = null)
    {
        var message = new System.Text.StringBuilder("Fashion-MNIST was not found. Searched:");
        foreach (string place in searched) message.Append("\n  - ").Append(place);
        if (downloadError != null)
        {
            message.Append($"\nThe download from {source} failed: {downloadError.Message}");
        }
        else if (!downloadAllowed)
        {
            message.Append("\nDownloading was not tried (switched off, or a directory was named explicitly).");
        }
        message.Append("\nTo fix it, do one of these:")
            .Append("\n  - on Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist")
            .Append($"\n  - put the four files (train-images-idx3-ubyte.gz, ...) in a directory and set ${DirectoryVariable} to it, or pass it as DataDirectory")
            .Append($"\n  - allow the download (AllowDownload = true) on a machine that can reach {FashionMnistFiles.OfficialBaseUri}");
        return new FashionMnistNotFoundException(message.ToString(), searched, downloadError);
    }
}
