using static TorchSharp.torch;

namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// States the ONNX form of one module in evaluation mode: adds its nodes to <paramref name="graph"/> and returns the name
/// of its output value, given the name of its input value.
/// </summary>
public delegate string OnnxConverter(OnnxGraphBuilder graph, nn.Module module, string input);
