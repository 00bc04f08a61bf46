using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Imaging;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Imaging;

/// <summary>
/// Real test images written as image files (PNG, JPEG, on white, larger) and classified by file: the 28x28 PNGs give
/// exactly the model's predictions on the test tensors, the others what the conversion rule promises.
/// </summary>
public sealed class ImageFileTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    const int Count = 200;
    static readonly string PublishedRun = Repository.File("docs", "results", "resnet20-onecycle-24");
    static readonly ImageShape Shape = new(1, 28, 28);

    [RealDataFact]
    public void Pngs_at_28x28_give_the_models_predictions_on_the_test_tensors_exactly()
    {
        using var dir = new TempDirectory();
        byte[][] images = TestImages(Count);
        string[] paths = images.Select((image, i) => GreyImageFiles.Write(image, 28, 28, dir.Combine($"{i}.png"), SKEncodedImageFormat.Png)).ToArray();
        using ImageClassifier classifier = ImageClassifier.FromWeights(PublishedRun);
        using InMemoryDataset test = RealData.Load(FashionMnistPart.Test, classifier.Card.Normalization);
        using InMemoryDataset first = test.Take(Count);
        using Predictions expected = new Trainer().Predict(classifier.Model, first);

        IReadOnlyList<ImageClassification> results = classifier.ClassifyFiles(paths, top: 3);

        results.Select(r => (long)r.Best.Label).Should().Equal(expected.Predicted.data<long>().ToArray());
        float[] probabilities = expected.Probabilities.data<float>().ToArray();
        for (int i = 0; i < Count; i++)
        {
            foreach (ClassProbability c in results[i].Top)
            {
                c.Probability.Should().Be(probabilities[i * 10 + c.Label], $"image {i}, class {c.ClassName}: bit for bit");
            }
            results[i].Top.Select(c => c.Probability).Should().BeInDescendingOrder();
            results[i].Top.Should().HaveCount(3);
        }
    }

    [RealDataFact]
    public void A_light_background_is_inverted_back_to_the_data_sets_pixels()
    {
        using var dir = new TempDirectory();
        byte[][] images = TestImages(20);
        for (int i = 0; i < images.Length; i++)
        {
            byte[] onWhite = images[i].Select(p => (byte)(255 - p)).ToArray();
            string path = GreyImageFiles.Write(onWhite, 28, 28, dir.Combine($"white-{i}.png"), SKEncodedImageFormat.Png);

            ImageFile.Read(path, Shape).Should().Equal(images[i], $"image {i}: inverted back exactly");
            ImageFile.Read(path, Shape, BackgroundInversion.Never).Should().Equal(onWhite, "the rule can be overridden");
        }
    }

    [RealDataFact]
    public void Jpegs_and_larger_images_are_classified_as_their_originals()
    {
        using var dir = new TempDirectory();
        byte[][] images = TestImages(100);
        using ImageClassifier classifier = ImageClassifier.FromWeights(PublishedRun);
        int[] original = classifier.Classify(images).Select(r => r.Best.Label).ToArray();

        string[] jpegs = images.Select((image, i) => GreyImageFiles.Write(image, 28, 28, dir.Combine($"{i}.jpg"), SKEncodedImageFormat.Jpeg)).ToArray();
        string[] larger = images.Select((image, i) => GreyImageFiles.Write(Upscale(image, 2), 56, 56, dir.Combine($"{i}-56.png"), SKEncodedImageFormat.Png)).ToArray();
        int[] fromJpeg = classifier.ClassifyFiles(jpegs).Select(r => r.Best.Label).ToArray();
        int[] fromLarger = classifier.ClassifyFiles(larger).Select(r => r.Best.Label).ToArray();

        fromJpeg.Zip(original).Count(p => p.First == p.Second).Should().BeGreaterThanOrEqualTo(95, "JPEG at quality 95 changes few pixels");
        fromLarger.Should().Equal(original, "a 56x56 image of 2x2 blocks scales back to the 28x28 original");
        ImageFile.Read(larger[0], Shape).Should().Equal(images[0]);
    }

    [RealDataFact]
    public void A_non_square_image_is_fitted_and_centred_with_black_margins()
    {
        using var dir = new TempDirectory();
        byte[] image = TestImages(1)[0];
        // 56 wide, 28 high: the image in the middle, black on both sides.
        byte[] wide = new byte[28 * 56];
        for (int row = 0; row < 28; row++) Array.Copy(image, row * 28, wide, row * 56 + 14, 28);
        string path = GreyImageFiles.Write(wide, 56, 28, dir.Combine("wide.png"), SKEncodedImageFormat.Png);

        byte[] read = ImageFile.Read(path, Shape);

        read.Should().HaveCount(784);
        read.Take(28 * 7).Should().OnlyContain(p => p == 0, "the 28x14 fitted image is centred: 7 black rows above");
        read.Skip(28 * 21).Should().OnlyContain(p => p == 0, "and 7 below");
        read.Skip(28 * 7).Take(28 * 14).Max().Should().BeGreaterThan((byte)100, "the garment is in the middle band");
    }

    [RealDataFact]
    public void A_photo_stored_sideways_is_read_upright_as_its_exif_orientation_says()
    {
        using var dir = new TempDirectory();
        byte[] image = TestImages(1)[0];
        string plain = GreyImageFiles.Write(image, 28, 28, dir.Combine("plain.jpg"), SKEncodedImageFormat.Jpeg);
        byte[] jpeg = File.ReadAllBytes(plain);
        // An APP1 Exif segment right after the start-of-image marker: big-endian TIFF, one IFD entry, Orientation
        // (0x0112, SHORT) = 6, "rotate 90 degrees clockwise to display", as phones write for portrait photos.
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        File.WriteAllBytes(dir.Combine("sideways.jpg"), [.. jpeg[..2], .. exif, .. jpeg[2..]]);

        byte[] stored = ImageFile.Read(plain, Shape);
        byte[] upright = ImageFile.Read(dir.Combine("sideways.jpg"), Shape);

        byte[] rotated = new byte[784];
        for (int row = 0; row < 28; row++)
        {
            for (int column = 0; column < 28; column++) rotated[row * 28 + column] = stored[(27 - column) * 28 + row];
        }
        upright.Should().Equal(rotated, "the stored pixels turned 90 degrees clockwise");
        upright.Should().NotEqual(stored);
    }

    [Fact]
    public void Missing_empty_and_non_image_files_are_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("empty.png"), []);
        File.WriteAllText(dir.Combine("notes.png"), "not an image");

        FluentActions.Invoking(() => ImageFile.Read(dir.Combine("missing.png"), Shape)).Should().Throw<FileNotFoundException>().WithMessage("*missing.png*");
        FluentActions.Invoking(() => ImageFile.Read(dir.Combine("empty.png"), Shape)).Should().Throw<InvalidImageFileException>().WithMessage("*empty.png*empty*");
        FluentActions.Invoking(() => ImageFile.Read(dir.Combine("notes.png"), Shape)).Should().Throw<InvalidImageFileException>().WithMessage("*notes.png*decode*");
    }

    byte[][] TestImages(int count) =>
        Enumerable.Range(0, count).Select(i => data.Test.Images[i].flatten().data<byte>().ToArray()).ToArray();

    static byte[] Upscale(byte[] image, int factor)
    {
        var result = new byte[28 * factor * 28 * factor];
        for (int y = 0; y < 28 * factor; y++)
        {
            for (int x = 0; x < 28 * factor; x++) result[y * 28 * factor + x] = image[(y / factor) * 28 + x / factor];
        }
        return result;
    }
}
