using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// The ONNX forms of TorchSharp's layers in evaluation mode. A setting a form does not cover (a transposed or
/// reflect-padded convolution, an adaptive pool to more than 1x1, ...) is an <see cref="OnnxExportException"/>,
/// never a silently different graph.
/// </summary>
internal static class LayerConverters
{
    public static void AddTo(OnnxConverters converters)
    {
        converters
            .Add<Sequential>((g, m, x) => g.ConvertChildrenInOrder(m, x))
            .Add<Convolution>(Convolution)
            .Add<BatchNorm1d>((g, m, x) => BatchNorm1d(g, m, x))
            .Add<BatchNorm2d>((g, m, x) => BatchNorm(g, m, x))
            .Add<Linear>(Linear)
            .Add<ReLU>((g, _, x) => g.Node("Relu", [x]))
            .Add<ReLU6>((g, _, x) => Clip(g, x, 0, 6))
            .Add<Hardtanh>((g, m, x) => Clip(g, x, (float)m.min_val, (float)m.max_val))
            .Add<LeakyReLU>((g, m, x) => g.Node("LeakyRelu", [x], new Dictionary<string, object> { ["alpha"] = (float)m.negative_slope }))
            .Add<Sigmoid>((g, _, x) => g.Node("Sigmoid", [x]))
            .Add<Tanh>((g, _, x) => g.Node("Tanh", [x]))
            .Add<MaxPool2d>(MaxPool)
            .Add<AvgPool2d>(AvgPool)
            .Add<AdaptiveAvgPool2d>(AdaptiveAvgPool)
            .Add<Flatten>(Flatten)
            // Evaluation mode: dropout passes its input through.
            .Add<Dropout>((_, _, x) => x)
            .Add<Dropout2d>((_, _, x) => x)
            .Add<Identity>((_, _, x) => x);
    }

    static string Convolution(OnnxGraphBuilder g, Convolution conv, string x)
    {
        if (conv.kernel_size.Length != 2) Refuse(g, conv, $"only 2-d convolutions are supported; this one has a {conv.kernel_size.Length}-d kernel");
        if (conv.transposed) Refuse(g, conv, "transposed convolutions are not supported");
        if (conv.padding_mode != PaddingModes.Zeros) Refuse(g, conv, $"padding mode {conv.padding_mode} is not supported (zeros only)");
        if (conv.padding_type is not null && conv.padding_type != Padding.Valid)
        {
            Refuse(g, conv, $"padding {conv.padding_type} is not supported; give the padding in numbers");
        }
        long[] pads = conv.padding_type == Padding.Valid || conv.padding is null ? [0, 0] : conv.padding;
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = conv.kernel_size,
            ["strides"] = conv.stride,
            ["pads"] = new[] { pads[0], pads[1], pads[0], pads[1] },
            ["dilations"] = conv.dilation,
            ["group"] = conv.groups,
        };
        string weight = g.Initializer("weight", conv.weight!);
        return conv.bias is null
            ? g.Node("Conv", [x, weight], attributes)
            : g.Node("Conv", [x, weight, g.Initializer("bias", conv.bias)], attributes);
    }

    /// <summary>BatchNormalization with the running statistics (evaluation mode).</summary>
    static string BatchNorm(OnnxGraphBuilder g, NormBase bn, string x)
    {
        if (bn.running_mean is null || bn.running_var is null)
        {
            Refuse(g, bn, "it does not track running statistics, so its evaluation output depends on the batch");
        }
        using Tensor ones = torch.ones(bn.num_features);
        using Tensor zeros = torch.zeros(bn.num_features);
        string scale = g.Initializer("weight", bn.weight ?? ones);
        string shift = g.Initializer("bias", bn.bias ?? zeros);
        string mean = g.Initializer("running_mean", bn.running_mean!);
        string variance = g.Initializer("running_var", bn.running_var!);
        return g.Node("BatchNormalization", [x, scale, shift, mean, variance], new Dictionary<string, object> { ["epsilon"] = (float)bn.eps });
    }

    /// <summary>
    /// BatchNorm1d takes [N, C] or [N, C, L]; ONNX's BatchNormalization wants a spatial axis, so the input gets a unit
    /// axis at 2 (either rank) and loses it again afterwards.
    /// </summary>
    static string BatchNorm1d(OnnxGraphBuilder g, BatchNorm1d bn, string x)
    {
        string axes = g.Constant("unsqueeze_axes", [2L]);
        string normalized = BatchNorm(g, bn, g.Node("Unsqueeze", [x, axes]));
        return g.Node("Squeeze", [normalized, axes]);
    }

    /// <summary>Gemm with the weight transposed, as <c>x W^T + b</c>; the input must be [N, features].</summary>
    static string Linear(OnnxGraphBuilder g, Linear linear, string x)
    {
        var attributes = new Dictionary<string, object> { ["transB"] = 1L };
        string weight = g.Initializer("weight", linear.weight!);
        return linear.bias is null
            ? g.Node("Gemm", [x, weight], attributes)
            : g.Node("Gemm", [x, weight, g.Initializer("bias", linear.bias)], attributes);
    }

    static string Clip(OnnxGraphBuilder g, string x, float min, float max) =>
        g.Node("Clip", [x, g.Constant("min", [min], []), g.Constant("max", [max], [])]);

    static string MaxPool(OnnxGraphBuilder g, MaxPool2d pool, string x)
    {
        Dictionary<string, object> attributes = PoolAttributes(pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode);
        attributes["dilations"] = pool.dilation ?? [1L, 1L];
        return g.Node("MaxPool", [x], attributes);
    }

    static string AvgPool(OnnxGraphBuilder g, AvgPool2d pool, string x)
    {
        if (pool.divisor_override is not null) Refuse(g, pool, "a divisor override has no ONNX form");
        Dictionary<string, object> attributes = PoolAttributes(pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode);
        attributes["count_include_pad"] = pool.count_include_pad ? 1L : 0L;
        return g.Node("AveragePool", [x], attributes);
    }

    /// <summary>What both pools say alike; the stride defaults to the kernel, as in PyTorch.</summary>
    static Dictionary<string, object> PoolAttributes(long[] kernel, long[]? stride, long[]? padding, bool ceilMode)
    {
        long[] pads = padding ?? [0, 0];
        return new Dictionary<string, object>
        {
            ["kernel_shape"] = kernel,
            ["strides"] = stride ?? kernel,
            ["pads"] = new[] { pads[0], pads[1], pads[0], pads[1] },
            ["ceil_mode"] = ceilMode ? 1L : 0L,
        };
    }

    static string AdaptiveAvgPool(OnnxGraphBuilder g, AdaptiveAvgPool2d pool, string x)
    {
        if (pool.output_size.Any(size => size != 1))
        {
            Refuse(g, pool, $"only pooling to 1x1 (global average pooling) is supported; this one pools to {string.Join("x", pool.output_size)}");
        }
        return g.Node("GlobalAveragePool", [x]);
    }

    static string Flatten(OnnxGraphBuilder g, Flatten flatten, string x)
    {
        if (flatten.start_dim != 1 || flatten.end_dim != -1)
        {
            Refuse(g, flatten, $"only Flatten(1, -1) is supported; this one flattens dimensions {flatten.start_dim} to {flatten.end_dim}");
        }
        return g.Node("Flatten", [x], new Dictionary<string, object> { ["axis"] = 1L });
    }

    static void Refuse(OnnxGraphBuilder g, nn.Module module, string reason) =>
        throw new OnnxExportException(g.ModulePath, module.GetType(), reason);
}
