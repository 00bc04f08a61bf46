using FashionMnist.Baselines.Data;
using Xunit;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>
/// Where the tests find the real Fashion-MNIST: $FASHION_MNIST_DIR, else Debian's dataset-fashion-mnist. Real-data tests
/// are skipped when it is missing, except under CI (CI=true), where they run and fail.
/// </summary>
internal static class RealData
{
    public static string Directory =>
        Environment.GetEnvironmentVariable(FashionMnistDataset.DirectoryVariable) is { Length: > 0 } variable
            ? variable
            : "/usr/share/datasets/fashion-mnist";

    public static bool IsPresent => FashionMnistFiles.All.All(name => FashionMnistFiles.Find(Directory, name) != null);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why real-data tests are skipped here, or null when they run (always under CI).</summary>
    public static string? SkipReason => IsPresent || IsCi
        ? null
        : $"Fashion-MNIST not found in {Directory}: apt-get install dataset-fashion-mnist, or set FASHION_MNIST_DIR.";

    public static FashionMnistOptions Options => new() { DataDirectory = Directory, AllowDownload = false };

    public static InMemoryDataset Load(FashionMnistPart part) => FashionMnistDataset.Load(part, Options);

    public static InMemoryDataset Load(FashionMnistPart part, ImageNormalization normalization) =>
        FashionMnistDataset.Load(part, new FashionMnistOptions { DataDirectory = Directory, AllowDownload = false, Normalization = normalization });
}

/// <summary>A fact that needs the real data set: skipped without it, except under CI.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute() => Skip = RealData.SkipReason;
}

/// <summary>Both real parts, loaded once for a test class.</summary>
public sealed class RealDataFixture : IDisposable
{
    readonly Lazy<InMemoryDataset> _train = new(() => RealData.Load(FashionMnistPart.Train));
    readonly Lazy<InMemoryDataset> _test = new(() => RealData.Load(FashionMnistPart.Test));

    public InMemoryDataset Train => _train.Value;

    public InMemoryDataset Test => _test.Value;

    public void Dispose()
    {
        if (_train.IsValueCreated) _train.Value.Dispose();
        if (_test.IsValueCreated) _test.Value.Dispose();
    }
}

/// <summary>A theory that needs the real data set: skipped without it, except under CI.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute() => Skip = RealData.SkipReason;
}
