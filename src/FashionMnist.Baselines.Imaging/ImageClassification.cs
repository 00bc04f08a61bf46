namespace FashionMnist.Baselines.Imaging;

/// <summary>The most probable classes of one image, most probable first.</summary>
/// <param name="Top">The top-k classes with their probabilities.</param>
public sealed record ImageClassification(IReadOnlyList<ClassProbability> Top)
{
    /// <summary>The most probable class.</summary>
    public ClassProbability Best => Top[0];
}
