using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;

/// <summary>Cancel a run (Ctrl+C, a timeout) and resume it later from its last checkpoint, to the same result.</summary>
public static class CancelAndResume
{
    public static TrainedModel Run(IDataset train, IDataset validation, string folder, TimeSpan budget)
    {
        var options = new TrainerOptions { Epochs = 3, Optimizer = OptimizerSettings.Adam() };
        var checkpoints = new ModelCheckpoint(Path.Combine(folder, "checkpoints"));
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            return new Trainer().Fit(new CnnFactory(), train, validation, options, [checkpoints], cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (checkpoints.LastSavedEpoch is not null)
        {
            // The cancelled run's model was disposed; its last checkpoint holds everything a resume needs.
            return new Trainer().Fit(new CnnFactory(), train, validation, options with { ResumeFrom = checkpoints.LastDirectory }, [checkpoints]);
        }
    }
}
