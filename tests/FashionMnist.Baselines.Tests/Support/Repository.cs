namespace FashionMnist.Baselines.Tests.Support;

/// <summary>The repository root, found by walking up from the test binaries to FashionMnist.Baselines.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "FashionMnist.Baselines.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No FashionMnist.Baselines.sln above {AppContext.BaseDirectory}.");
    }

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
