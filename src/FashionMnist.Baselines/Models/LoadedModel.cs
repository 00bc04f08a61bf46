using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>A model loaded for use by <see cref="ModelWeights.LoadModel"/>: in evaluation mode, with its <see cref="ModelCard"/>.</summary>
/// <param name="Model">The model, in evaluation mode (BatchNorm uses its running statistics, dropout is off).</param>
/// <param name="Card">Its name, input shape, class names and normalisation.</param>
public sealed record LoadedModel(Module<Tensor, Tensor> Model, ModelCard Card) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
