using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace FashionMnist.Baselines.Data;

/// <summary>The images of an IDX3 file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> bytes.</summary>
/// <param name="Pixels">The pixels, row-major, image after image.</param>
/// <param name="Count">Number of images.</param>
/// <param name="Rows">Rows per image.</param>
/// <param name="Columns">Columns per image.</param>
/// <param name="Content">Checksums of the decompressed file: header and pixels.</param>
internal sealed record IdxImages(byte[] Pixels, int Count, int Rows, int Columns, ContentHashes Content)
{
    public string ContentMd5 => Content.Md5;
}

/// <summary>The labels of an IDX1 file.</summary>
/// <param name="Labels">One byte per label.</param>
/// <param name="Content">Checksums of the decompressed file: header and labels.</param>
internal sealed record IdxLabels(byte[] Labels, ContentHashes Content)
{
    public string ContentMd5 => Content.Md5;
}

/// <summary>SHA-256 (the check) and MD5 (the published cross-check) of a decompressed file, lower-case hex.</summary>
internal sealed record ContentHashes(string Sha256, string Md5);

/// <summary>
/// Reads IDX files (the MNIST format: a big-endian header, then unsigned bytes), raw or gzip-compressed (recognised by
/// content, not by name), and checks everything the header promises. Every kind of damage raises an
/// <see cref="IdxFormatException"/> that names the file.
/// </summary>
internal static class IdxFile
{
    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an IDX3 image file.</summary>
    /// <exception cref="IdxFormatException">The file is damaged or is not an image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        return Read<IdxImages>(path, header: 16, ImagesMagic, "image", (stream, header) =>
        {
            int count = Dimension(path, header, 4, "image count", allowZero: true);
            int rows = Dimension(path, header, 8, "row count", allowZero: false);
            int columns = Dimension(path, header, 12, "column count", allowZero: false);
            long size = (long)count * rows * columns;
            if (size > Array.MaxLength)
            {
                throw new IdxFormatException(path, $"declares {count} images of {rows}x{columns}, more than one array can hold.");
            }
            byte[] pixels = ReadBody(path, stream, (int)size, $"{count} images of {rows}x{columns}");
            return (pixels, hashes => new IdxImages(pixels, count, rows, columns, hashes));
        });
    }

    /// <summary>Reads an IDX1 label file.</summary>
    /// <exception cref="IdxFormatException">The file is damaged or is not a label file.</exception>
    public static IdxLabels ReadLabels(string path)
    {
        return Read<IdxLabels>(path, header: 8, LabelsMagic, "label", (stream, header) =>
        {
            int count = Dimension(path, header, 4, "label count", allowZero: true);
            byte[] labels = ReadBody(path, stream, count, $"{count} labels");
            return (labels, hashes => new IdxLabels(labels, hashes));
        });
    }

    /// <summary>Opens, checks the header, lets <paramref name="readBody"/> read the rest, checks nothing follows.</summary>
    static T Read<T>(string path, int header, int magic, string kind, Func<Stream, byte[], (byte[] Body, Func<ContentHashes, T> Make)> readBody)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try
        {
            file = File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IdxFormatException(path, "the file does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IdxFormatException(path, "the file cannot be read (permission denied).", e);
        }

        using (file)
        {
            bool gzip = file.Length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            try
            {
                byte[] headerBytes = new byte[header];
                int read = stream.ReadAtLeast(headerBytes, header, throwOnEndOfStream: false);
                if (read < header)
                {
                    throw new IdxFormatException(path, $"holds {read} bytes, fewer than the {header}-byte header of an IDX {kind} file.");
                }
                int found = BinaryPrimitives.ReadInt32BigEndian(headerBytes);
                if (found != magic)
                {
                    string hint = found switch
                    {
                        ImagesMagic => " (it is an image file)",
                        LabelsMagic => " (it is a label file)",
                        _ => "",
                    };
                    throw new IdxFormatException(path,
                        $"has magic number 0x{found:x8}{hint}; an IDX {kind} file starts with 0x{magic:x8} ({magic}).");
                }

                (byte[] body, Func<ContentHashes, T> make) = readBody(stream, headerBytes);
                if (stream.ReadByte() != -1)
                {
                    throw new IdxFormatException(path, $"is longer than its header declares: bytes follow the last {kind}.");
                }
                return make(Hashes(headerBytes, body));
            }
            catch (InvalidDataException e)
            {
                // GZipStream reports a bad header, bad deflate data or a CRC or length mismatch in the trailer.
                throw new IdxFormatException(path, $"is not a valid gzip file: {e.Message}", e);
            }
        }
    }

    static int Dimension(string path, byte[] header, int offset, string name, bool allowZero)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset));
        if (value < 0 || (value == 0 && !allowZero))
        {
            throw new IdxFormatException(path, $"declares a {name} of {value}; expected a positive number.");
        }
        return value;
    }

    static byte[] ReadBody(string path, Stream stream, int size, string what)
    {
        // A raw file's length is known: a damaged header must not make us allocate what the file cannot hold.
        if (stream.CanSeek && stream.Length - stream.Position < size)
        {
            throw new IdxFormatException(path, $"is truncated: its header declares {what} ({size} bytes) but only {stream.Length - stream.Position} bytes follow.");
        }
        // A gzip stream's length is unknown until it ends, so the buffer grows (doubling, up to the declared size) as
        // bytes arrive: a header that lies costs at most about twice what the file really holds, not the declared size.
        byte[] body = GC.AllocateUninitializedArray<byte>(stream.CanSeek ? size : Math.Min(size, InitialGzipBuffer));
        int filled = 0;
        while (true)
        {
            filled += stream.ReadAtLeast(body.AsSpan(filled), body.Length - filled, throwOnEndOfStream: false);
            if (filled < body.Length)
            {
                throw new IdxFormatException(path, $"is truncated: its header declares {what} ({size} bytes) but only {filled} bytes follow.");
            }
            if (filled == size)
            {
                return body;
            }
            Array.Resize(ref body, (int)Math.Min(size, 2L * body.Length));
        }
    }

    /// <summary>The first buffer of a compressed body: 4 MiB, a tenth of the training images (47 MB).</summary>
    const int InitialGzipBuffer = 4 << 20;

    static ContentHashes Hashes(byte[] header, byte[] body)
    {
        string Hash(HashAlgorithmName algorithm)
        {
            using var hash = IncrementalHash.CreateHash(algorithm);
            hash.AppendData(header);
            hash.AppendData(body);
            return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        }
        return new ContentHashes(Hash(HashAlgorithmName.SHA256), Hash(HashAlgorithmName.MD5));
    }
}
