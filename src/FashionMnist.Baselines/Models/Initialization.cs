using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>The weight initialisations of the reference implementations.</summary>
internal static class Initialization
{
    /// <summary>
    /// Keras defaults: Glorot (Xavier) uniform weights and zero biases for convolutions and dense layers; BatchNorm
    /// weight 1, bias 0.
    /// </summary>
    public static void Keras(Module model)
    {
        using var noGrad = no_grad();
        foreach (Module module in model.modules())
        {
            switch (module)
            {
                case Convolution conv:
                    init.xavier_uniform_(conv.weight!);
                    if (conv.bias is not null) init.zeros_(conv.bias);
                    break;
                case Linear linear:
                    init.xavier_uniform_(linear.weight!);
                    if (linear.bias is not null) init.zeros_(linear.bias);
                    break;
            }
        }
    }

    /// <summary>
    /// The ResNet and Wide-ResNet references (fb.resnet.torch): convolution weights normal(0, sqrt(2 / (k * k * out)));
    /// BatchNorm weight 1, bias 0; linear biases 0 (weights keep PyTorch's default).
    /// </summary>
    public static void HeFanOut(Module model)
    {
        using var noGrad = no_grad();
        foreach (Module module in model.modules())
        {
            switch (module)
            {
                case Convolution conv:
                    Tensor weight = conv.weight!;
                    long fanOut = weight.shape[0] * weight.shape[2] * weight.shape[3];
                    init.normal_(weight, 0, Math.Sqrt(2.0 / fanOut));
                    break;
                case BatchNorm2d bn:
                    init.ones_(bn.weight!);
                    init.zeros_(bn.bias!);
                    break;
                case Linear linear when linear.bias is not null:
                    init.zeros_(linear.bias);
                    break;
            }
        }
    }
}
