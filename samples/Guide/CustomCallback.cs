using FashionMnist.Baselines.Training;

/// <summary>A callback that records a figure of its own and stops a run that is good enough.</summary>
public sealed class StopAtAccuracy(double target) : ITrainingCallback
{
    // Added to every epoch's figures: it reaches history.csv/json, TensorBoard, the report and the plots by name.
    public void OnEpochMeasured(TrainingContext context, IDictionary<string, double> metrics) =>
        metrics["validation_error"] = 1 - metrics[EpochMetrics.ValidationAccuracy];

    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (record.ValidationAccuracy >= target) context.RequestStop($"validation accuracy reached {target}");
    }
}
