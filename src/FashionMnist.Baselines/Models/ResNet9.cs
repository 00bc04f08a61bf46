using FashionMnist.Baselines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// David Page's ResNet-9 (Myrtle.ai, "How to train your ResNet", 2018: the DAWNBench CIFAR-10 network that reaches 94%
/// in 24 epochs), sized for 28x28 grey images. Widths w, 2w, 4w, 8w (Page's w is 64):
/// <list type="bullet">
/// <item>prep: 3x3 convolution to w channels, BatchNorm, ReLU (28x28);</item>
/// <item>layer 1: 3x3 convolution to 2w, 2x2 max pool (14x14), BatchNorm, ReLU, and a residual branch of two
/// convolution-BatchNorm-ReLU units;</item>
/// <item>layer 2: 3x3 convolution to 4w, max pool (7x7), BatchNorm, ReLU;</item>
/// <item>layer 3: 3x3 convolution to 8w, max pool with ceiling (4x4, so that the seventh row and column count), BatchNorm,
/// ReLU, and a residual branch as in layer 1;</item>
/// <item>global max pool, a linear classifier without bias, and logits scaled by 0.125 (Page's).</item>
/// </list>
/// The pools come before BatchNorm (as in Keller Jordan's airbench), so BatchNorm and ReLU run on a quarter of the
/// pixels; max pooling commutes with the ReLU, and with BatchNorm wherever its scale is positive, so apart from
/// BatchNorm's statistics the two orders agree on those channels.
/// Weights keep PyTorch's default initialisation, as in Page's code.
/// </summary>
public sealed class ResNet9 : Module<Tensor, Tensor>
{
    /// <summary>Page's scale of the logits: it keeps the softmax soft while the weights are small.</summary>
    internal const double LogitScale = 0.125;

    readonly Sequential prep;
    readonly Sequential layer1;
    readonly Sequential residual1;
    readonly Sequential layer2;
    readonly Sequential layer3;
    readonly Sequential residual3;
    readonly Linear fc;

    /// <summary>Creates ResNet-9 with base width <paramref name="width"/> (channels w, 2w, 4w, 8w).</summary>
    public ResNet9(ImageShape input, int classes, int width) : base(nameof(ResNet9))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (input.Height < 8 || input.Width < 8)
        {
            throw new ArgumentException($"ResNet-9 pools three times: it needs images of at least 8x8, not {input.Height}x{input.Width}.", nameof(input));
        }
        prep = ConvUnit(input.Channels, width, pool: false);
        layer1 = ConvUnit(width, 2 * width, pool: true);
        residual1 = Residual(2 * width);
        layer2 = ConvUnit(2 * width, 4 * width, pool: true);
        layer3 = ConvUnit(4 * width, 8 * width, pool: true);
        residual3 = Residual(8 * width);
        fc = Linear(8 * width, classes, hasBias: false);
        RegisterComponents();
    }

    static Sequential ConvUnit(int inChannels, int outChannels, bool pool)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)> { ("conv", Conv2d(inChannels, outChannels, 3, padding: 1, bias: false)) };
        if (pool) modules.Add(("pool", MaxPool2d(2, ceil_mode: true)));
        modules.Add(("bn", BatchNorm2d(outChannels)));
        modules.Add(("relu", ReLU()));
        return Sequential(modules);
    }

    static Sequential Residual(int channels) => Sequential(
        ("res1", ConvUnit(channels, channels, pool: false)),
        ("res2", ConvUnit(channels, channels, pool: false)));

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = layer1.call(prep.call(input));
        x = x.add(residual1.call(x));
        x = layer3.call(layer2.call(x));
        x = x.add(residual3.call(x));
        return fc.call(x.amax([2, 3])).mul_(LogitScale).MoveToOuterDisposeScope();
    }
}

/// <summary>Makes <see cref="ResNet9"/> models.</summary>
/// <param name="width">The base width w: the stages have w, 2w, 4w and 8w channels (Page's network has w = 64).</param>
public sealed class ResNet9Factory(int width) : IModelFactory
{
    /// <summary>The base width.</summary>
    public int Width => width;

    /// <inheritdoc />
    public string Name => $"resnet9-{width}";

    /// <inheritdoc />
    public string Description => $"ResNet-9 (Page's DAWNBench network, widths {width}/{2 * width}/{4 * width}/{8 * width}, sized for 28x28)";

    /// <inheritdoc />
    public Module<Tensor, Tensor> Create(ImageShape input, int classes, Device? device = null) =>
        new ResNet9(input, ModelChecks.Classes(classes), width).to(device ?? CPU);
}
