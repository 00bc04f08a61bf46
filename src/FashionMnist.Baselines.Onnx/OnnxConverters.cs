using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// Which <see cref="OnnxConverter"/> states the ONNX form of each module type. <see cref="CreateDefault"/> knows
/// TorchSharp's layers that the library's models use and every model of the library; <see cref="Add{TModule}"/>
/// teaches it a module of your own (docs/onnx-export.md shows one).
/// </summary>
public sealed class OnnxConverters
{
    readonly Dictionary<Type, OnnxConverter> byType = new();

    /// <summary>An empty set: nothing can be converted until converters are added.</summary>
    public OnnxConverters()
    {
    }

    /// <summary>
    /// The converters for TorchSharp's Conv2d, BatchNorm1d/2d, Linear, ReLU, ReLU6, Hardtanh, LeakyReLU, Sigmoid, Tanh,
    /// MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten, Dropout (removed), Identity and Sequential, and for
    /// the library's models (seed CNN, MobileNet v1, CIFAR ResNet, Wide ResNet, ResNet-9) and their blocks.
    /// </summary>
    public static OnnxConverters CreateDefault()
    {
        var converters = new OnnxConverters();
        LayerConverters.AddTo(converters);
        ModelConverters.AddTo(converters);
        return converters;
    }

    /// <summary>Registers (or replaces) the converter of modules of type <typeparamref name="TModule"/>; returns this set.</summary>
    public OnnxConverters Add<TModule>(Func<OnnxGraphBuilder, TModule, string, string> convert) where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(convert);
        byType[typeof(TModule)] = (graph, module, input) => convert(graph, (TModule)module, input);
        return this;
    }

    /// <summary>Whether modules of type <paramref name="moduleType"/> (or a base type of it) can be converted.</summary>
    public bool CanConvert(Type moduleType) => Find(moduleType) != null;

    /// <summary>The converter of the type itself, else of its nearest base type that has one.</summary>
    internal OnnxConverter? Find(Type moduleType)
    {
        for (Type? t = moduleType; t != null; t = t.BaseType)
        {
            if (byType.TryGetValue(t, out OnnxConverter? convert)) return convert;
        }
        return null;
    }
}
