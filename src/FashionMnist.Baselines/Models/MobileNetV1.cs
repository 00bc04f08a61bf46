using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>How a MobileNet takes Fashion-MNIST's 1x28x28 images.</summary>
public enum MobileNetInput
{
    /// <summary>
    /// The seed's recipe: the model resizes 28x28 to 56x56 (bilinear) and copies grey to 3 channels, then runs the
    /// standard stride plan: conv s2 (56 to 28), s2 at 128 (14), 256 (7), 512 (4) and 1024 (2).
    /// </summary>
    Resized56,

    /// <summary>
    /// Native 1x28x28: the first convolution has stride 1 and one input channel, so no resizing is needed; the later
    /// strides are the same, and so are the feature-map sizes (28, 14, 7, 4, 2).
    /// </summary>
    Native28,
}

/// <summary>
/// MobileNet v1 (Howard et al. 2017) with width multiplier alpha: a 3x3 convolution with 32 channels, then 13
/// depthwise-separable blocks (64, 128 s2, 128, 256 s2, 256, 512 s2, 5 x 512, 1024 s2, 1024), BatchNorm and ReLU6
/// throughout, global average pooling, dropout 0.25 and a linear classifier, as Keras builds it.
/// </summary>
public sealed class MobileNetV1 : Module<Tensor, Tensor>
{
    static readonly (int Channels, int Stride)[] Blocks =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ];

    readonly MobileNetInput inputMode;
    readonly double alpha;
    readonly Sequential features;
    readonly Dropout dropout;
    readonly Linear classifier;

    /// <summary>Creates the network.</summary>
    public MobileNetV1(ImageShape input, int classes, double alpha, MobileNetInput inputMode, BatchNormStyle batchNorm = BatchNormStyle.Keras)
        : base(nameof(MobileNetV1))
    {
        if (!(alpha > 0 && alpha <= 1)) // NaN fails too
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The width multiplier alpha must be in (0, 1].");
        }
        if (inputMode == MobileNetInput.Resized56 && input.Channels != 1 && input.Channels != 3)
        {
            throw new ArgumentException($"The 56x56 MobileNet takes 1 or 3 input channels; got {input}.", nameof(input));
        }
        this.inputMode = inputMode;
        this.alpha = alpha;
        (double momentum, double eps) = batchNorm.Settings();
        int Width(int channels) => (int)(channels * alpha);

        int inChannels = inputMode == MobileNetInput.Resized56 ? 3 : input.Channels;
        int firstStride = inputMode == MobileNetInput.Resized56 ? 2 : 1;
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv", Conv2d(inChannels, Width(32), 3, stride: firstStride, padding: 1, bias: false)),
            ("conv_bn", BatchNorm2d(Width(32), eps: eps, momentum: momentum)),
            ("conv_relu", ReLU6()),
        };
        int channels = Width(32);
        for (int i = 0; i < Blocks.Length; i++)
        {
            int outChannels = Width(Blocks[i].Channels);
            string b = $"block{i + 1}";
            layers.Add(($"{b}_dw", Conv2d(channels, channels, 3, stride: Blocks[i].Stride, padding: 1, groups: channels, bias: false)));
            layers.Add(($"{b}_dw_bn", BatchNorm2d(channels, eps: eps, momentum: momentum)));
            layers.Add(($"{b}_dw_relu", ReLU6()));
            Conv2d pointwise = Conv2d(channels, outChannels, 1, bias: false);
            // Width 1.0 has a pointwise convolution (512 to 1,024) that LibTorch's oneDNN cannot run channels-last.
            if (ChannelsLastLayout.CrashesOneDnn(pointwise)) layers.Add(($"{b}_pw_standard_layout", new StandardLayout()));
            layers.Add(($"{b}_pw", pointwise));
            layers.Add(($"{b}_pw_bn", BatchNorm2d(outChannels, eps: eps, momentum: momentum)));
            layers.Add(($"{b}_pw_relu", ReLU6()));
            channels = outChannels;
        }
        layers.Add(("pool", AdaptiveAvgPool2d(1)));
        layers.Add(("flatten", Flatten()));
        features = Sequential(layers);
        dropout = Dropout(0.25);
        classifier = Linear(channels, classes);
        RegisterComponents();
        Initialization.Keras(this);
    }

    /// <summary>How the model takes its input: resized to 3x56x56 inside the model, or native.</summary>
    public MobileNetInput Input => inputMode;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (inputMode == MobileNetInput.Resized56)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor resized = functional.interpolate(input, size: [56, 56], mode: InterpolationMode.Bilinear, align_corners: false);
            if (resized.shape[1] == 1) resized = resized.expand(-1, 3, -1, -1);
            return classifier.call(dropout.call(features.call(resized))).MoveToOuterDisposeScope();
        }
        return classifier.call(dropout.call(features.call(input)));
    }
}

/// <summary>Makes <see cref="MobileNetV1"/> models.</summary>
/// <param name="alpha">Width multiplier: 0.25, 0.5, 0.75 or 1.0 are the published ones.</param>
/// <param name="input">The seed's 56x56 resizing or the native 28x28 variant.</param>
/// <param name="batchNorm">BatchNorm defaults (Keras for the seed).</param>
public sealed class MobileNetFactory(double alpha = 1.0, MobileNetInput input = MobileNetInput.Resized56, BatchNormStyle batchNorm = BatchNormStyle.Keras)
    : IModelFactory
{
    /// <summary>The width multiplier.</summary>
    public double Alpha => alpha;

    /// <summary>How the model takes its input.</summary>
    public MobileNetInput Input => input;

    /// <inheritdoc />
    public string Name => (input == MobileNetInput.Native28 ? "mobilenet-28" : "mobilenet")
        + (alpha == 1.0 ? "" : "-" + alpha.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public string Description => input == MobileNetInput.Native28
        ? $"MobileNet v1 (alpha {alpha}) on native 1x28x28 input, first conv stride 1"
        : $"MobileNet v1 (alpha {alpha}) on 28x28 resized to 3x56x56, as the seed";

    /// <inheritdoc />
    public Module<Tensor, Tensor> Create(ImageShape shape, int classes, Device? device = null) =>
        new MobileNetV1(shape, ModelChecks.Classes(classes), alpha, input, batchNorm).to(device ?? CPU);
}
