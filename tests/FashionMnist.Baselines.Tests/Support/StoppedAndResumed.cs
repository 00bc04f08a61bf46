using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>A run stopped after an epoch with its checkpoint, then resumed into a new model: what resume tests compare with an uninterrupted run.</summary>
internal static class StoppedAndResumed
{
    /// <summary>
    /// Trains <paramref name="factory"/>'s model with <paramref name="options"/>, stops it after epoch
    /// <paramref name="stopAfter"/> (a checkpoint under <paramref name="directory"/>), then resumes it into a new model
    /// (after scrambling the global random state); returns that model, its history and the checkpoint directory.
    /// </summary>
    public static (Module<Tensor, Tensor> Model, TrainingHistory History, string Checkpoint) Run(
        IModelFactory factory, InMemoryDataset train, InMemoryDataset validation, TrainerOptions options, int stopAfter, string directory)
    {
        var checkpoint = new ModelCheckpoint(Path.Combine(directory, "checkpoints"));
        var stop = new CallbackProbe { OnEpoch = (context, record) => { if (record.Epoch == stopAfter) context.RequestStop("test"); } };
        using (new Trainer().Fit(factory, train, validation, options, [checkpoint, stop])) { }
        manual_seed(999); // the resumed run must not depend on the global state before it
        Module<Tensor, Tensor> model = factory.Create(train.ImageShape, train.ClassNames.Count);
        TrainingHistory history = new Trainer().Fit(model, train, validation, options with { ResumeFrom = checkpoint.LastDirectory });
        return (model, history, checkpoint.LastDirectory);
    }
}
