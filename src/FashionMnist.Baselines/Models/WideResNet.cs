using FashionMnist.Baselines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// A pre-activation basic block of a Wide ResNet: BN-ReLU, 3x3 conv (stride s), BN-ReLU, dropout, 3x3 conv, plus the
/// input, through a 1x1 projection of the pre-activated input when the shape changes.
/// </summary>
internal sealed class WideBasicBlock : Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn1;
    readonly Conv2d conv1;
    readonly BatchNorm2d bn2;
    readonly Conv2d conv2;
    readonly Conv2d? shortcut;
    readonly double dropout;

    /// <summary>Creates a block from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public WideBasicBlock(int inChannels, int outChannels, int stride, double dropout) : base(nameof(WideBasicBlock))
    {
        bn1 = BatchNorm2d(inChannels);
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        // As in the reference, a projection exactly when the channel count changes.
        shortcut = inChannels != outChannels ? Conv2d(inChannels, outChannels, 1, stride: stride, bias: false) : null;
        this.dropout = dropout;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor activated = functional.relu(bn1.call(input));
        Tensor output = functional.relu(bn2.call(conv1.call(activated)));
        if (dropout > 0) output = functional.dropout(output, dropout, training);
        output = conv2.call(output);
        Tensor residual = shortcut is null ? input : shortcut.call(activated);
        return output.add_(residual).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Wide ResNet WRN-d-k (Zagoruyko and Komodakis 2016) as in the Random Erasing reference (models/fashion/wrn.py):
/// depth 6n+4, widths 16, 16k, 32k, 64k with strides 1, 2, 2, pre-activation blocks with dropout, BN-ReLU, global
/// average pooling and a linear classifier. Convolutions are initialised normal(0, sqrt(2 / (3 * 3 * out))).
/// </summary>
public sealed class WideResNet : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly Sequential block1;
    readonly Sequential block2;
    readonly Sequential block3;
    readonly BatchNorm2d bn;
    readonly Linear fc;

    /// <summary>Creates WRN-<paramref name="depth"/>-<paramref name="widen"/>.</summary>
    public WideResNet(ImageShape input, int classes, int depth, int widen, double dropout) : base(nameof(WideResNet))
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A Wide ResNet's depth is 6n+4 with n >= 1 (10, 16, 22, 28, 40, ...).");
        }
        if (widen < 1) throw new ArgumentOutOfRangeException(nameof(widen), widen, "The widening factor must be at least 1.");
        if (!(dropout is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1)."); // NaN fails too
        int n = (depth - 4) / 6;
        int[] widths = [16, 16 * widen, 32 * widen, 64 * widen];
        conv1 = Conv2d(input.Channels, widths[0], 3, padding: 1, bias: false);
        block1 = Stage(n, widths[0], widths[1], 1, dropout);
        block2 = Stage(n, widths[1], widths[2], 2, dropout);
        block3 = Stage(n, widths[2], widths[3], 2, dropout);
        bn = BatchNorm2d(widths[3]);
        fc = Linear(widths[3], classes);
        RegisterComponents();
        Initialization.HeFanOut(this);
    }

    static Sequential Stage(int blocks, int inChannels, int outChannels, int stride, double dropout) =>
        Sequential(Enumerable.Range(0, blocks).Select(i =>
            ($"{i}", (Module<Tensor, Tensor>)new WideBasicBlock(i == 0 ? inChannels : outChannels, outChannels, i == 0 ? stride : 1, dropout))));

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = block3.call(block2.call(block1.call(conv1.call(input))));
        // Global average pooling (the reference pools 7x7, the whole map for 28x28 input).
        x = functional.relu(bn.call(x)).mean([2, 3]);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}

/// <summary>Makes <see cref="WideResNet"/> models.</summary>
/// <param name="depth">Depth 6n+4 (16, 28, 40, ...).</param>
/// <param name="widen">Widening factor k.</param>
/// <param name="dropout">Dropout between the two convolutions of each block (0 in the Random Erasing runs; the seed's Keras WRN used 0.25).</param>
public sealed class WideResNetFactory(int depth, int widen, double dropout = 0.0) : IModelFactory
{
    /// <summary>The depth.</summary>
    public int Depth => depth;

    /// <summary>The widening factor.</summary>
    public int Widen => widen;

    /// <summary>The dropout rate inside each block.</summary>
    public double Dropout => dropout;

    /// <inheritdoc />
    public string Name => $"wrn-{depth}-{widen}";

    /// <inheritdoc />
    public string Description => $"Wide ResNet WRN-{depth}-{widen}, pre-activation, dropout {dropout} (Random Erasing reference)";

    /// <inheritdoc />
    public Module<Tensor, Tensor> Create(ImageShape input, int classes, Device? device = null) =>
        new WideResNet(input, ModelChecks.Classes(classes), depth, widen, dropout).to(device ?? CPU);
}
