namespace FashionMnist.Baselines.Imaging;

/// <summary>One class of a classification, with the model's probability for it.</summary>
/// <param name="Label">The class index.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="Probability">The softmax probability.</param>
public sealed record ClassProbability(int Label, string ClassName, float Probability);
