using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;


namespace FashionMnist.Baselines.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string Write(string name, byte[] bytes)
    {
        string path = _dir.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    (string Images, string Labels) WriteValid(bool gzip, int count = 7, int rows = 5, int columns = 4)
    {
        byte[] images = IdxWriter.ImagesBytes(IdxWriter.Pixels(count, rows, columns), count, rows, columns);
        byte[] labels = IdxWriter.LabelsBytes(IdxWriter.Labels(count));
        return gzip
            ? (Write("images.gz", IdxWriter.Gzip(images)), Write("labels.gz", IdxWriter.Gzip(labels)))
            : (Write("images.idx", images), Write("labels.idx", labels));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_valid_files_raw_or_gzip(bool gzip)
    {
        (string imagesPath, string labelsPath) = WriteValid(gzip);

        IdxImages images = IdxFile.ReadImages(imagesPath);
        IdxLabels labels = IdxFile.ReadLabels(labelsPath);

        images.Count.Should().Be(7);
        images.Rows.Should().Be(5);
        images.Columns.Should().Be(4);
        images.Pixels.Should().Equal(IdxWriter.Pixels(7, 5, 4));
        labels.Labels.Should().Equal(IdxWriter.Labels(7));
        images.ContentMd5.Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Fact]
    public void The_content_md5_is_that_of_the_decompressed_bytes()
    {
        byte[] raw = IdxWriter.ImagesBytes(IdxWriter.Pixels(3, 2, 2), 3, 2, 2);
        string path = Write("images.gz", IdxWriter.Gzip(raw));

        IdxFile.ReadImages(path).ContentMd5.Should().Be(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(raw)).ToLowerInvariant());
    }

    [Fact]
    public void LoadFiles_makes_uint8_images_NCHW_and_int64_labels_with_the_same_values()
    {
        (string imagesPath, string labelsPath) = WriteValid(gzip: true);

        using InMemoryDataset set = FashionMnistDataset.LoadFiles(imagesPath, labelsPath);

        set.Count.Should().Be(7);
        set.ImageShape.Should().Be(new ImageShape(1, 5, 4));
        set.Images.shape.Should().Equal(7, 1, 5, 4);
        set.Images.dtype.Should().Be(TorchSharp.torch.ScalarType.Byte);
        set.Images.data<byte>().ToArray().Should().Equal(IdxWriter.Pixels(7, 5, 4));
        set.Labels.dtype.Should().Be(TorchSharp.torch.ScalarType.Int64);
        set.Labels.data<long>().ToArray().Should().Equal(IdxWriter.Labels(7).Select(b => (long)b));
        set.ClassNames.Should().HaveCount(10).And.StartWith("T-shirt/top");
    }

    [Fact]
    public void A_label_file_given_as_images_is_named_by_its_magic_number()
    {
        (_, string labelsPath) = WriteValid(gzip: false, count: 30);

        var act = () => IdxFile.ReadImages(labelsPath);

        act.Should().Throw<IdxFormatException>()
            .Where(e => e.FilePath == labelsPath && e.Message.Contains(labelsPath))
            .WithMessage("*magic number 0x00000801 (it is a label file)*0x00000803*");
    }

    [Fact]
    public void Unknown_magic_number_is_rejected()
    {
        byte[] bytes = IdxWriter.ImagesBytes(new byte[4], 1, 2, 2, magic: 0x12345678);
        string path = Write("bad-magic", bytes);

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>().WithMessage("*0x12345678*");
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_rejected()
    {
        string path = Write("short", [0, 0, 8, 3, 0, 0]);

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>()
            .WithMessage("*holds 6 bytes, fewer than the 16-byte header*");
    }

    [Theory]
    [InlineData(0, 28, "row count of 0")]
    [InlineData(28, -1, "column count of -1")]
    public void Non_positive_dimensions_are_rejected(int rows, int columns, string expected)
    {
        string path = Write("dims", IdxWriter.ImagesBytes([], 1, rows, columns));

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void A_truncated_raw_file_is_rejected_with_the_sizes()
    {
        byte[] bytes = IdxWriter.ImagesBytes(IdxWriter.Pixels(3, 4, 4), 3, 4, 4);
        string path = Write("truncated", bytes[..^5]);

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>()
            .WithMessage("*truncated*3 images of 4x4 (48 bytes)*only 43 bytes follow*");
    }

    [Fact]
    public void Extra_bytes_after_the_declared_content_are_rejected()
    {
        byte[] bytes = IdxWriter.LabelsBytes(IdxWriter.Labels(5), count: 4);
        string path = Write("long", bytes);

        FluentActions.Invoking(() => IdxFile.ReadLabels(path)).Should().Throw<IdxFormatException>().WithMessage("*longer than its header*");
    }

    [Fact]
    public void A_truncated_gzip_file_is_rejected()
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.ImagesBytes(IdxWriter.Pixels(50, 28, 28), 50, 28, 28));
        string path = Write("cut.gz", gz[..(gz.Length / 2)]);

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>().Where(e => e.FilePath == path);
    }

    [Fact]
    public void A_gzip_file_whose_header_lies_about_its_size_is_rejected_without_allocating_the_declared_size()
    {
        // 2,000,000 images of 28x28 declared (1.57 GB), 50 present: a compressed file's length is unknown until its end.
        byte[] gz = IdxWriter.Gzip(IdxWriter.ImagesBytes(IdxWriter.Pixels(50, 28, 28), 2_000_000, 28, 28));
        string path = Write("lying.gz", gz);
        long before = GC.GetAllocatedBytesForCurrentThread();

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>()
            .WithMessage("*truncated*2000000 images of 28x28 (1568000000 bytes)*only 39200 bytes follow*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(64L << 20);
    }

    [Fact]
    public void A_gzip_file_larger_than_the_first_buffer_is_read_whole()
    {
        // 6,000 images (4.7 MB) pass the 4 MiB first buffer, so the buffer has to grow once.
        byte[] pixels = IdxWriter.Pixels(6_000, 28, 28);
        string path = Write("large.gz", IdxWriter.Gzip(IdxWriter.ImagesBytes(pixels, 6_000, 28, 28)));

        IdxFile.ReadImages(path).Pixels.AsSpan().SequenceEqual(pixels).Should().BeTrue();
    }

    [Fact]
    public void A_gzip_file_with_a_wrong_checksum_is_rejected()
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.LabelsBytes(IdxWriter.Labels(100)));
        gz[^8] ^= 0xff; // first byte of the CRC-32 in the gzip trailer
        string path = Write("crc.gz", gz);

        FluentActions.Invoking(() => IdxFile.ReadLabels(path)).Should().Throw<IdxFormatException>()
            .WithMessage("*not a valid gzip file*");
    }

    [Fact]
    public void A_gzip_file_with_damaged_compressed_data_is_rejected()
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.ImagesBytes(IdxWriter.Pixels(20, 28, 28), 20, 28, 28));
        for (int i = 20; i < gz.Length - 20; i += 7) gz[i] ^= 0x5a;
        string path = Write("damaged.gz", gz);

        FluentActions.Invoking(() => IdxFile.ReadImages(path)).Should().Throw<IdxFormatException>().Where(e => e.FilePath == path);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = _dir.Combine("nothing-here.gz");

        FluentActions.Invoking(() => IdxFile.ReadLabels(path)).Should().Throw<IdxFormatException>().WithMessage("*nothing-here.gz*does not exist*");
    }

    [Fact]
    public void Labels_outside_0_to_9_are_rejected_with_their_position()
    {
        (string imagesPath, _) = WriteValid(gzip: false, count: 4);
        string labelsPath = Write("labels-bad", IdxWriter.LabelsBytes([1, 2, 12, 3]));

        FluentActions.Invoking(() => FashionMnistDataset.LoadFiles(imagesPath, labelsPath)).Should().Throw<IdxFormatException>()
            .Where(e => e.FilePath == labelsPath).WithMessage("*label 12 at index 2*0..9*");
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        (string imagesPath, _) = WriteValid(gzip: false, count: 4);
        string labelsPath = Write("labels-few", IdxWriter.LabelsBytes([1, 2, 3]));

        FluentActions.Invoking(() => FashionMnistDataset.LoadFiles(imagesPath, labelsPath)).Should().Throw<IdxFormatException>()
            .WithMessage("*holds 3 labels but*holds 4 images*");
    }
}
