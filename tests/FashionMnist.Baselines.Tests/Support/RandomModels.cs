using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>Registry models with random weights and random BatchNorm statistics, in evaluation mode, for export and interchange tests.</summary>
internal static class RandomModels
{
    /// <summary>
    /// The model, seeded, with every BatchNorm given random running statistics and affine parameters, so that every
    /// term of evaluation-mode BatchNorm counts. Scales below 1 keep the deep ResNets' residual sums (110 layers) at
    /// logits of a few units, where an absolute tolerance of 1e-4 means something.
    /// </summary>
    public static Module<Tensor, Tensor> Create(string name)
    {
        manual_seed(7);
        Module<Tensor, Tensor> model = ModelRegistry.Resolve(name).Create(new ImageShape(1, 28, 28), 10);
        using (no_grad())
        {
            foreach ((_, Module module) in model.named_modules())
            {
                if (module is not BatchNorm bn) continue;
                bn.running_mean!.copy_(randn(bn.num_features) * 0.2);
                bn.running_var!.copy_(rand(bn.num_features) + 0.5);
                bn.weight!.copy_(rand(bn.num_features) * 0.4 + 0.1);
                bn.bias!.copy_(randn(bn.num_features) * 0.1);
                bn.num_batches_tracked!.fill_(3);
            }
        }
        model.eval();
        return model;
    }
}
