using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>A model and the history of its training.</summary>
/// <param name="Model">The trained model (in evaluation mode).</param>
/// <param name="History">Its epochs.</param>
public sealed record TrainedModel(Module<Tensor, Tensor> Model, TrainingHistory History) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
