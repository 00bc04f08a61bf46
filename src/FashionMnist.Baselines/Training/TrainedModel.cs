using FashionMnist.Baselines.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>A model and the history of its training.</summary>
/// <param name="Model">The trained model (in evaluation mode).</param>
/// <param name="History">Its epochs.</param>
/// <param name="Card">
/// What the model is (name, input shape, classes, normalisation), when the trainer knows it: <c>Fit</c> with a
/// factory fills it in.
/// </param>
public sealed record TrainedModel(Module<Tensor, Tensor> Model, TrainingHistory History, ModelCard? Card = null) : IDisposable
{
    /// <summary>
    /// Saves the weights to <paramref name="path"/> and, when the card is known, the card beside them, so that
    /// <see cref="ModelWeights.LoadModel"/> gets the model back ready for use.
    /// </summary>
    public void Save(string path) => ModelWeights.Save(Model, path, Card);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
