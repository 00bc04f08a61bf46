using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// Builds the ONNX graph of a model module by module. TorchSharp cannot trace <c>forward</c>, so each module type states
/// its ONNX form in an <see cref="OnnxConverters"/> entry, which receives this builder, the module and the name of its
/// input value, adds nodes with <see cref="Node"/> and returns the name of its output value. A composite module converts
/// its children with <see cref="ConvertChild"/>, in the order its <c>forward</c> calls them.
/// </summary>
/// <remarks>
/// Value and node names follow the module path (<c>layer1.0.body.conv1</c>), and a module's parameters and buffers
/// become initializers named as in its state dict (<c>layer1.0.body.conv1.weight</c>), so a graph reads like the model.
/// </remarks>
public sealed class OnnxGraphBuilder
{
    readonly OnnxConverters converters;
    readonly GraphProto graph;
    readonly Stack<string> path = new();
    readonly Stack<nn.Module> modules = new();
    readonly HashSet<string> names = new(StringComparer.Ordinal);

    internal OnnxGraphBuilder(OnnxConverters converters, GraphProto graph)
    {
        this.converters = converters;
        this.graph = graph;
        names.Add(OnnxModelInfo.InputName);
    }

    /// <summary>The path of the module being converted (empty for the model itself), as in its state dict keys.</summary>
    public string ModulePath => string.Join(".", path.Reverse());

    /// <summary>Converts <paramref name="module"/>, at the current path, with its registered converter.</summary>
    /// <returns>The name of the module's output value.</returns>
    /// <exception cref="OnnxExportException">No converter is registered for the module's type, or it cannot express this module.</exception>
    public string Convert(nn.Module module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(input);
        OnnxConverter convert = converters.Find(module.GetType())
            ?? throw new OnnxExportException(ModulePath, module.GetType(),
                "no ONNX converter is registered for this type; add one with OnnxConverters.Add (see docs/onnx-export.md)");
        modules.Push(module);
        try
        {
            return convert(this, module, input);
        }
        finally
        {
            modules.Pop();
        }
    }

    /// <summary>Converts the child of <paramref name="parent"/> registered under <paramref name="childName"/>.</summary>
    /// <returns>The name of the child's output value.</returns>
    /// <exception cref="OnnxExportException">The parent has no such child, or the child cannot be converted.</exception>
    public string ConvertChild(nn.Module parent, string childName, string input)
    {
        nn.Module child = Child(parent, childName);
        path.Push(childName);
        try
        {
            return Convert(child, input);
        }
        finally
        {
            path.Pop();
        }
    }

    /// <summary>Converts every child of <paramref name="parent"/> in registration order, each taking the previous one's output (a <c>Sequential</c>).</summary>
    public string ConvertChildrenInOrder(nn.Module parent, string input)
    {
        ArgumentNullException.ThrowIfNull(parent);
        string x = input;
        foreach ((string name, _) in parent.named_children()) x = ConvertChild(parent, name, x);
        return x;
    }

    /// <summary>The child of <paramref name="parent"/> registered under <paramref name="childName"/>.</summary>
    /// <exception cref="OnnxExportException">There is no such child.</exception>
    public nn.Module Child(nn.Module parent, string childName)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return TryChild(parent, childName)
            ?? throw new OnnxExportException(ModulePath, parent.GetType(), $"it has no child module named '{childName}'");
    }

    /// <summary>The child of <paramref name="parent"/> registered under <paramref name="childName"/>, or null (an optional part such as a projection).</summary>
    public nn.Module? TryChild(nn.Module parent, string childName)
    {
        ArgumentNullException.ThrowIfNull(parent);
        foreach ((string name, nn.Module child) in parent.named_children())
        {
            if (name == childName) return child;
        }
        return null;
    }

    /// <summary>
    /// Adds a node of the default ONNX domain (opset 17) and returns the name of its first output.
    /// Attribute values may be <c>long</c>, <c>long[]</c>, <c>float</c>, <c>float[]</c> or <c>string</c>; use an
    /// empty string as an input name to leave an optional input out.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, object>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        string output = UniqueName(ModulePath.Length == 0 ? opType : $"{ModulePath}/{opType}");
        AddNode(opType, inputs, output, attributes);
        return output;
    }

    /// <summary>Adds a node whose output has the exact name <paramref name="output"/> (the graph's named outputs).</summary>
    internal void NamedNode(string opType, IReadOnlyList<string> inputs, string output, IReadOnlyDictionary<string, object>? attributes = null)
    {
        if (!names.Add(output)) throw new InvalidOperationException($"The graph already has a value named '{output}'.");
        AddNode(opType, inputs, output, attributes);
    }

    void AddNode(string opType, IReadOnlyList<string> inputs, string output, IReadOnlyDictionary<string, object>? attributes)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach ((string name, object value) in attributes ?? new Dictionary<string, object>()) node.Attribute.Add(Attribute(name, value));
        graph.Node.Add(node);
    }

    /// <summary>
    /// Adds <paramref name="value"/> (float32 or int64, on any device) as an initializer named
    /// <c>{ModulePath}.{name}</c>, as its state dict key would be, and returns that name.
    /// </summary>
    public string Initializer(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        string full = UniqueName(ModulePath.Length == 0 ? name : $"{ModulePath}.{name}");
        using DisposeScope scope = NewDisposeScope(); // detach, cpu and contiguous may each make a tensor
        Tensor cpu = value.detach().cpu().contiguous();
        var proto = new TensorProto { Name = full };
        proto.Dims.AddRange(cpu.shape);
        switch (cpu.dtype)
        {
            case ScalarType.Float32:
                proto.DataType = (int)TensorProto.Types.DataType.Float;
                proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
                break;
            case ScalarType.Int64:
                proto.DataType = (int)TensorProto.Types.DataType.Int64;
                proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()));
                break;
            default:
                throw new OnnxExportException(ModulePath, modules.Count > 0 ? modules.Peek().GetType() : typeof(Tensor),
                    $"its tensor '{name}' is {cpu.dtype}; the exporter writes float32 and int64 (export a float32 model)");
        }
        graph.Initializer.Add(proto);
        return full;
    }

    /// <summary>Adds a float32 constant of shape <paramref name="dims"/> (a scalar when empty) and returns its name.</summary>
    public string Constant(string name, float[] values, long[] dims)
    {
        using Tensor t = tensor(values, dims);
        return Initializer(name, t);
    }

    /// <summary>Adds a one-dimensional int64 constant (shapes, axes, sizes) and returns its name.</summary>
    public string Constant(string name, long[] values)
    {
        using Tensor t = tensor(values, [values.Length]);
        return Initializer(name, t);
    }

    string UniqueName(string wanted)
    {
        string name = wanted;
        for (int i = 1; !names.Add(name); i++) name = $"{wanted}_{i}";
        return name;
    }

    static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case long l:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = l;
                break;
            case int i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case long[] ls:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ls);
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case float[] fs:
                attribute.Type = AttributeProto.Types.AttributeType.Floats;
                attribute.Floats.AddRange(fs);
                break;
            case string s:
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(s);
                break;
            default:
                throw new ArgumentException(
                    $"The attribute '{name}' has a value of type {value?.GetType().Name ?? "null"}; expected long, long[], float, float[] or string.", nameof(value));
        }
        return attribute;
    }
}
