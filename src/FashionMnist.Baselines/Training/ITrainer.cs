using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>Trains, evaluates and applies image classifiers.</summary>
public interface ITrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>. Decisions (schedules, early stopping, best
    /// checkpoints) use <paramref name="validation"/> only; <paramref name="monitor"/>, if given, is evaluated every
    /// epoch and recorded, never used for a decision. Returns the history of the epochs.
    /// </summary>
    /// <exception cref="InvalidOptionException">An option is invalid (checked before anything else happens).</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; training stops at a batch boundary and checkpoints stay intact.</exception>
    TrainingHistory Fit(Module<Tensor, Tensor> model, IDataset train, IDataset? validation, TrainerOptions options,
        IReadOnlyList<ITrainingCallback>? callbacks = null, IProgress<TrainingProgress>? progress = null,
        IDataset? monitor = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a model with <paramref name="factory"/> (seeded with <see cref="TrainerOptions.Seed"/>) and trains it.</summary>
    TrainedModel Fit(IModelFactory factory, IDataset train, IDataset? validation, TrainerOptions options,
        IReadOnlyList<ITrainingCallback>? callbacks = null, IProgress<TrainingProgress>? progress = null,
        IDataset? monitor = null, CancellationToken cancellationToken = default);

    /// <summary>Loss, accuracy and per-class metrics of <paramref name="model"/> on <paramref name="data"/>.</summary>
    EvaluationResult Evaluate(Module<Tensor, Tensor> model, IDataset data, int batchSize = 250, Device? device = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default);

    /// <summary>Class probabilities and predicted labels of <paramref name="model"/> on <paramref name="data"/>, in data-set order.</summary>
    Predictions Predict(Module<Tensor, Tensor> model, IDataset data, int batchSize = 250, Device? device = null,
        Precision precision = Precision.Float32, CancellationToken cancellationToken = default);
}
