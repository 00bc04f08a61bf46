namespace FashionMnist.Baselines.Metrics;

/// <summary>Precision, recall, F1 and support of one class, or of an average.</summary>
/// <param name="Precision">tp / (tp + fp).</param>
/// <param name="Recall">tp / (tp + fn).</param>
/// <param name="F1">2 P R / (P + R), 0 when P + R = 0.</param>
/// <param name="Support">Number of true samples.</param>
public readonly record struct ClassScores(double Precision, double Recall, double F1, long Support);
