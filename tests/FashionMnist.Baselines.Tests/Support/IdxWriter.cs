using System.Buffers.Binary;
using System.IO.Compression;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>Writes small IDX files for tests: valid ones, and damaged ones through the raw byte helpers.</summary>
internal static class IdxWriter
{
    public static byte[] ImagesBytes(byte[] pixels, int count, int rows, int columns, int magic = 0x803)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    public static byte[] LabelsBytes(byte[] labels, int? count = null, int magic = 0x801)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return output.ToArray();
    }

    /// <summary>Deterministic pseudo-random pixels: image i, pixel p has value (i * 31 + p * 7) % 256.</summary>
    public static byte[] Pixels(int count, int rows, int columns) =>
        Enumerable.Range(0, count * rows * columns)
            .Select(k => (byte)((k / (rows * columns) * 31 + k % (rows * columns) * 7) % 256)).ToArray();

    /// <summary>Labels 0..9 in turn.</summary>
    public static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    /// <summary>Writes a valid image and label pair under the official names of <paramref name="prefix"/>.</summary>
    public static void WritePair(string directory, string prefix, int count, int side = 28, bool gzip = true)
    {
        Directory.CreateDirectory(directory);
        byte[] images = ImagesBytes(Pixels(count, side, side), count, side, side);
        byte[] labels = LabelsBytes(Labels(count));
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte{suffix}"), gzip ? Gzip(images) : images);
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? Gzip(labels) : labels);
    }

    /// <summary>Writes all four official file names with small valid content.</summary>
    public static void WriteAllFour(string directory, int count = 20)
    {
        WritePair(directory, "train", count);
        WritePair(directory, "t10k", count);
    }
}
