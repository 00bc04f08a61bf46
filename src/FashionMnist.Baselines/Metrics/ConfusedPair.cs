namespace FashionMnist.Baselines.Metrics;

/// <summary>A pair of classes the model confuses: <see cref="Count"/> samples of <see cref="Actual"/> predicted as <see cref="Predicted"/>.</summary>
public sealed record ConfusedPair(int Actual, string ActualName, int Predicted, string PredictedName, long Count);
