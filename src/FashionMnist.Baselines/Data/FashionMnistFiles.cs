namespace FashionMnist.Baselines.Data;

/// <summary>The names, sizes and checksums of the four official Fashion-MNIST files.</summary>
public static class FashionMnistFiles
{
    /// <summary>The official download location (zalandoresearch/fashion-mnist).</summary>
    public static Uri OfficialBaseUri { get; } = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /// <summary>The four file names without the <c>.gz</c> extension.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ImagesFile(FashionMnistPart.Train), LabelsFile(FashionMnistPart.Train), ImagesFile(FashionMnistPart.Test), LabelsFile(FashionMnistPart.Test)];

    /// <summary>
    /// SHA-256 of each official <c>.gz</c> file: downloads are checked against it (MD5, which an adversary can
    /// collide, is only the published cross-check). Taken from two independent public checksum lists that agree; it
    /// cannot be recomputed from Debian's package, which re-compressed the files, but the decompressed content of every
    /// download is also checked against <see cref="ContentSha256"/>, which the tests recompute from Debian's copy.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OfficialGzipSha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        ["train-labels-idx1-ubyte"] = "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        ["t10k-images-idx3-ubyte"] = "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        ["t10k-labels-idx1-ubyte"] = "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    };

    /// <summary>
    /// SHA-256 of each decompressed file (header and data), the same for the official download and Debian's package:
    /// every load checks it (<see cref="FashionMnistOptions.VerifyChecksums"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ContentSha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ["train-labels-idx1-ubyte"] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ["t10k-images-idx3-ubyte"] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ["t10k-labels-idx1-ubyte"] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

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
