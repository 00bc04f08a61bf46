namespace FashionMnist.Baselines.Data;

/// <summary>The names, sizes and checksums of the four official Fashion-MNIST files.</summary>
public static class FashionMnistFiles
{
    /// <summary>The official download location (zalandoresearch/fashion-mnist).</summary>
    public static Uri OfficialBaseUri { get; } = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /// <summary>The four file names without the <c>.gz</c> extension.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ImagesFile(FashionMnistPart.Train), LabelsFile(FashionMnistPart.Train), ImagesFile(FashionMnistPart.Test), LabelsFile(FashionMnistPart.Test)];

    /// <summary>MD5 of each official <c>.gz</c> file as published. Debian re-compressed its copy, so only downloads match these.</summary>
    public static IReadOnlyDictionary<string, string> OfficialGzipMd5 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        ["train-labels-idx1-ubyte"] = "25c81989df183df01b3e8a0aad5dffbe",
        ["t10k-images-idx3-ubyte"] = "bef4ecab320f06d8554ea6380940ec79",
        ["t10k-labels-idx1-ubyte"] = "bb300cfdad3c16e7a12a480ee83cd310",
    };

    /// <summary>MD5 of each decompressed file: the same for the official download and Debian's package.</summary>
    public static IReadOnlyDictionary<string, string> ContentMd5 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        ["train-labels-idx1-ubyte"] = "9018921c3c673c538a1fc5bad174d6f9",
        ["t10k-images-idx3-ubyte"] = "8181f5470baa50b63fa0f6fddb340f0a",
        ["t10k-labels-idx1-ubyte"] = "15d484375f8d13e6eb1aabb0c3f46965",
    };

    /// <summary>The class names in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Number of images in <paramref name="part"/>: 60,000 or 10,000.</summary>
    public static int Count(FashionMnistPart part) => part == FashionMnistPart.Train ? 60_000 : 10_000;

    /// <summary>Side of the square images: 28.</summary>
    public const int ImageSide = 28;

    /// <summary>The image file of <paramref name="part"/>, without <c>.gz</c>.</summary>
    public static string ImagesFile(FashionMnistPart part) =>
        part == FashionMnistPart.Train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";

    /// <summary>The label file of <paramref name="part"/>, without <c>.gz</c>.</summary>
    public static string LabelsFile(FashionMnistPart part) =>
        part == FashionMnistPart.Train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";

    /// <summary>
    /// The path of <paramref name="name"/> in <paramref name="directory"/>: the <c>.gz</c> file if present, else the raw
    /// IDX file, else null.
    /// </summary>
    public static string? Find(string directory, string name)
    {
        string gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz)) return gz;
        string raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : null;
    }
}
