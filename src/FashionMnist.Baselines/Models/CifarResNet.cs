using FashionMnist.Baselines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// A residual block of the CIFAR-style ResNet (He et al. 2015, post-activation): basic (two 3x3 convolutions) or
/// bottleneck (1x1, 3x3, 1x1 with 4x expansion), with a 1x1 convolution + BatchNorm projection when the shape changes.
/// </summary>
internal sealed class ResNetBlock : Module<Tensor, Tensor>
{
    readonly Sequential body;
    readonly Sequential? downsample;

    /// <summary>Creates a block taking <paramref name="inChannels"/> to <paramref name="planes"/> times the expansion.</summary>
    public ResNetBlock(int inChannels, int planes, int stride, bool bottleneck) : base(nameof(ResNetBlock))
    {
        int outChannels = planes * (bottleneck ? 4 : 1);
        body = bottleneck
            ? Sequential(
                ("conv1", Conv2d(inChannels, planes, 1, bias: false)), ("bn1", BatchNorm2d(planes)), ("relu1", ReLU()),
                ("conv2", Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false)), ("bn2", BatchNorm2d(planes)), ("relu2", ReLU()),
                ("conv3", Conv2d(planes, outChannels, 1, bias: false)), ("bn3", BatchNorm2d(outChannels)))
            : Sequential(
                ("conv1", Conv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false)), ("bn1", BatchNorm2d(planes)), ("relu1", ReLU()),
                ("conv2", Conv2d(planes, planes, 3, padding: 1, bias: false)), ("bn2", BatchNorm2d(planes)));
        downsample = stride != 1 || inChannels != outChannels
            ? Sequential(("0", Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)), ("1", BatchNorm2d(outChannels)))
            : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor residual = downsample is null ? input : downsample.call(input);
        return functional.relu(body.call(input).add_(residual)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The CIFAR-style ResNet of the Random Erasing reference (models/fashion/resnet.py): depth 6n+2, a 3x3 convolution
/// with 16 channels, three stages of n blocks (16, 32 s2, 64 s2), global average pooling and a linear classifier.
/// As in that reference, depths from 44 use bottleneck blocks, still n = (depth - 2) / 6 of them per stage.
/// </summary>
public sealed class CifarResNet : Module<Tensor, Tensor>
{
    readonly Sequential stem;
    readonly Sequential layer1;
    readonly Sequential layer2;
    readonly Sequential layer3;
    readonly Linear fc;

    /// <summary>Creates ResNet-<paramref name="depth"/>.</summary>
    public CifarResNet(ImageShape input, int classes, int depth) : base(nameof(CifarResNet))
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A CIFAR ResNet's depth is 6n+2 with n >= 1 (20, 32, 44, 56, 110, ...).");
        }
        int n = (depth - 2) / 6;
        bool bottleneck = depth >= 44;
        int expansion = bottleneck ? 4 : 1;
        stem = Sequential(("conv1", Conv2d(input.Channels, 16, 3, padding: 1, bias: false)), ("bn1", BatchNorm2d(16)), ("relu", ReLU()));
        int channels = 16;
        Sequential Stage(int planes, int stride)
        {
            var blocks = new List<(string, Module<Tensor, Tensor>)>();
            for (int i = 0; i < n; i++)
            {
                blocks.Add(($"{i}", new ResNetBlock(channels, planes, i == 0 ? stride : 1, bottleneck)));
                channels = planes * expansion;
            }
            return Sequential(blocks);
        }
        layer1 = Stage(16, 1);
        layer2 = Stage(32, 2);
        layer3 = Stage(64, 2);
        fc = Linear(64 * expansion, classes);
        RegisterComponents();
        Initialization.HeFanOut(this);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = layer3.call(layer2.call(layer1.call(stem.call(input))));
        return fc.call(x.mean([2, 3])).MoveToOuterDisposeScope();
    }
}

/// <summary>Makes <see cref="CifarResNet"/> models.</summary>
/// <param name="depth">Depth 6n+2: 20, 32, 44, 56 or 110 in the Random Erasing paper.</param>
public sealed class ResNetFactory(int depth) : IModelFactory
{
    /// <summary>The depth.</summary>
    public int Depth => depth;

    /// <inheritdoc />
    public string Name => $"resnet-{depth}";

    /// <inheritdoc />
    public string Description => $"CIFAR-style ResNet-{depth} ({(depth >= 44 ? "bottleneck" : "basic")} blocks 16/32/64, Random Erasing reference)";

    /// <inheritdoc />
    public Module<Tensor, Tensor> Create(ImageShape input, int classes, Device? device = null) =>
        new CifarResNet(input, ModelChecks.Classes(classes), depth).to(device ?? CPU);
}
