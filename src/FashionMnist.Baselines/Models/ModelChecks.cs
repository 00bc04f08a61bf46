namespace FashionMnist.Baselines.Models;

/// <summary>Argument checks shared by the factories.</summary>
internal static class ModelChecks
{
    public static int Classes(int classes) => classes >= 2
        ? classes
        : throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least 2 classes.");
}
