using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// The ONNX forms of the library's models and blocks: each one says in nodes what its <c>forward</c> says in tensor
/// calls, child by child. A change to a model's <c>forward</c> needs the same change here; the export tests compare
/// ONNX Runtime's logits with TorchSharp's for every registry model, so a mismatch fails them.
/// </summary>
internal static class ModelConverters
{
    public static void AddTo(OnnxConverters converters)
    {
        converters
            .Add<SeedCnn>((g, m, x) => g.ConvertChild(m, "classifier", g.ConvertChild(m, "features", x)))
            .Add<CifarResNet>(CifarResNet)
            .Add<ResNetBlock>(ResNetBlock)
            .Add<WideResNet>(WideResNet)
            .Add<WideBasicBlock>(WideBasicBlock)
            .Add<MobileNetV1>(MobileNet)
            .Add<ResNet9>(ResNet9)
            // A memory-layout switch: the values are the same.
            .Add<StandardLayout>((_, _, x) => x);
    }

    static string CifarResNet(OnnxGraphBuilder g, CifarResNet model, string x)
    {
        foreach (string stage in new[] { "stem", "layer1", "layer2", "layer3" }) x = g.ConvertChild(model, stage, x);
        return g.ConvertChild(model, "fc", GlobalAveragePool(g, x));
    }

    /// <summary>relu(body(x) + (downsample(x) or x)).</summary>
    static string ResNetBlock(OnnxGraphBuilder g, ResNetBlock block, string x)
    {
        string residual = g.TryChild(block, "downsample") is null ? x : g.ConvertChild(block, "downsample", x);
        string sum = g.Node("Add", [g.ConvertChild(block, "body", x), residual]);
        return g.Node("Relu", [sum]);
    }

    static string WideResNet(OnnxGraphBuilder g, WideResNet model, string x)
    {
        foreach (string stage in new[] { "conv1", "block1", "block2", "block3", "bn" }) x = g.ConvertChild(model, stage, x);
        return g.ConvertChild(model, "fc", GlobalAveragePool(g, g.Node("Relu", [x])));
    }

    /// <summary>
    /// Pre-activation: a = relu(bn1(x)); conv2(relu(bn2(conv1(a)))) + (shortcut(a) or x). Dropout between the
    /// convolutions is the identity in evaluation mode.
    /// </summary>
    static string WideBasicBlock(OnnxGraphBuilder g, WideBasicBlock block, string x)
    {
        string activated = g.Node("Relu", [g.ConvertChild(block, "bn1", x)]);
        string inner = g.Node("Relu", [g.ConvertChild(block, "bn2", g.ConvertChild(block, "conv1", activated))]);
        string output = g.ConvertChild(block, "conv2", inner);
        string residual = g.TryChild(block, "shortcut") is null ? x : g.ConvertChild(block, "shortcut", activated);
        return g.Node("Add", [output, residual]);
    }

    /// <summary>
    /// The seed's MobileNet resizes to 56x56 (bilinear, half-pixel centres as PyTorch's align_corners=false) and
    /// copies grey to three channels inside the model, so the graph does too.
    /// </summary>
    static string MobileNet(OnnxGraphBuilder g, MobileNetV1 model, string x)
    {
        if (model.Input == MobileNetInput.Resized56)
        {
            // Resize by output size: [N, C] of the input, then 56x56, so that the batch stays symbolic.
            string batchAndChannels = g.Node("Slice", [g.Node("Shape", [x]), g.Constant("slice_start", [0L]), g.Constant("slice_end", [2L])]);
            string sizes = g.Node("Concat", [batchAndChannels, g.Constant("spatial_size", [56L, 56L])], new Dictionary<string, object> { ["axis"] = 0L });
            x = g.Node("Resize", [x, "", "", sizes], new Dictionary<string, object>
            {
                ["mode"] = "linear",
                ["coordinate_transformation_mode"] = "half_pixel",
            });
            // Expand broadcasts: one channel becomes three, three stay three (as the model's expand(-1, 3, -1, -1)).
            x = g.Node("Expand", [x, g.Constant("three_channels", [1L, 3L, 1L, 1L])]);
        }
        x = g.ConvertChild(model, "features", x);
        return g.ConvertChild(model, "classifier", g.ConvertChild(model, "dropout", x));
    }

    /// <summary>Page's ResNet-9: x + residual(x) after layers 1 and 3, a global max pool, the classifier, logits x 0.125.</summary>
    static string ResNet9(OnnxGraphBuilder g, ResNet9 model, string x)
    {
        x = g.ConvertChild(model, "layer1", g.ConvertChild(model, "prep", x));
        x = g.Node("Add", [x, g.ConvertChild(model, "residual1", x)]);
        x = g.ConvertChild(model, "layer3", g.ConvertChild(model, "layer2", x));
        x = g.Node("Add", [x, g.ConvertChild(model, "residual3", x)]);
        string pooled = g.Node("Flatten", [g.Node("GlobalMaxPool", [x])], new Dictionary<string, object> { ["axis"] = 1L });
        return g.Node("Mul", [g.ConvertChild(model, "fc", pooled), g.Constant("logit_scale", [(float)Models.ResNet9.LogitScale], [])]);
    }

    static string GlobalAveragePool(OnnxGraphBuilder g, string x) =>
        g.Node("Flatten", [g.Node("GlobalAveragePool", [x])], new Dictionary<string, object> { ["axis"] = 1L });
}
