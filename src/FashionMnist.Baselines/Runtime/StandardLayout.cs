using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Passes its input on in the standard (NCHW) memory layout: the identity for a standard tensor, a copy for a
/// channels-last one. Put it right before a convolution that LibTorch 2.10's oneDNN cannot run channels-last (a 1x1
/// convolution of 512 to 1,024 channels, for example: with <c>TrainerOptions.ChannelsLast</c> set,
/// <c>Trainer.Fit</c> names such a layer when it refuses a model), registered in the same parent right before it, so that a model trained
/// channels-last runs that one convolution in the standard layout.
/// It has no parameters, so the model's weights files are the same with or without it.
/// </summary>
public sealed class StandardLayout() : Module<Tensor, Tensor>(nameof(StandardLayout))
{
    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        ChannelsLastLayout.HasStandardStrides(input) ? input.alias() : ChannelsLastLayout.Standard(input);
}
