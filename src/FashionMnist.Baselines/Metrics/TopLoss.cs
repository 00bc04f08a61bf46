namespace FashionMnist.Baselines.Metrics;

/// <summary>One misclassified sample and how sure the model was.</summary>
/// <param name="Index">The sample's position in its data set.</param>
/// <param name="Actual">True class.</param>
/// <param name="Predicted">Predicted class.</param>
/// <param name="PredictedProbability">Probability given to the predicted class.</param>
/// <param name="ActualProbability">Probability given to the true class.</param>
/// <param name="Loss">Cross-entropy of the sample: -ln(ActualProbability).</param>
public sealed record TopLoss(long Index, int Actual, int Predicted, double PredictedProbability, double ActualProbability, double Loss);
