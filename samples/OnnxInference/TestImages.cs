using System.Buffers.Binary;
using System.IO.Compression;

namespace OnnxInference;

/// <summary>Fashion-MNIST's test images and labels from the official gzip files (IDX format: a big-endian header, then bytes).</summary>
internal static class TestImages
{
    public static (byte[][] Images, byte[] Labels) Read(string dataDirectory, int count)
    {
        byte[] images = Decompress(Path.Combine(dataDirectory, "t10k-images-idx3-ubyte.gz"), expectedMagic: 2051, headerSize: 16);
        byte[] labels = Decompress(Path.Combine(dataDirectory, "t10k-labels-idx1-ubyte.gz"), expectedMagic: 2049, headerSize: 8);
        int available = labels.Length;
        if (count > available) throw new ArgumentOutOfRangeException(nameof(count), count, $"The test set has {available} images.");
        return (Enumerable.Range(0, count).Select(i => images.AsSpan(i * 784, 784).ToArray()).ToArray(), labels[..count]);
    }

    static byte[] Decompress(string path, int expectedMagic, int headerSize)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        byte[] bytes = memory.ToArray();
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic) throw new InvalidDataException($"{path} is not an IDX file of that kind (magic {magic}, expected {expectedMagic}).");
        return bytes[headerSize..];
    }
}
