using System.Globalization;
using System.Text;
using FashionMnist.Baselines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>One leaf layer of a model, in the order a forward pass runs it.</summary>
/// <param name="Name">The layer's path in the model (its parameter prefix), such as <c>features.conv1</c>.</param>
/// <param name="Type">The TorchSharp module type, such as <c>Conv2d</c>.</param>
/// <param name="OutputShape">The output shape for one image, batch dimension included.</param>
/// <param name="TrainableParameters">Trainable parameters of this layer.</param>
/// <param name="MultiplyAdds">Multiply-adds per image (convolutions and linear layers; other layers count 0).</param>
public sealed record LayerSummary(string Name, string Type, long[] OutputShape, long TrainableParameters, long MultiplyAdds);

/// <summary>What a model is: its size, its cost per image and its layers (like Keras' <c>summary()</c>).</summary>
/// <param name="ModelName">The factory's name.</param>
/// <param name="Input">The input shape described.</param>
/// <param name="Classes">The number of classes.</param>
/// <param name="TrainableParameters">All trainable parameters (BatchNorm running statistics are buffers, not counted).</param>
/// <param name="MultiplyAdds">Multiply-adds of one forward pass of one image.</param>
/// <param name="Layers">The leaf layers in execution order.</param>
public sealed record ModelSummary(
    string ModelName, ImageShape Input, int Classes, long TrainableParameters, long MultiplyAdds, IReadOnlyList<LayerSummary> Layers)
{
    /// <summary>Builds the model on the CPU, runs one image through it with a hook on every leaf layer, and disposes it.</summary>
    public static ModelSummary Of(IModelFactory factory, ImageShape input, int classes)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using Module<Tensor, Tensor> model = factory.Create(input, classes, CPU);
        return Of(factory.Name, model, input, classes);
    }

    /// <summary>Describes an existing model by running zero images through it in evaluation mode.</summary>
    public static ModelSummary Of(string name, Module<Tensor, Tensor> model, ImageShape input, int classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<LayerSummary>();
        var removers = new List<Action>();
        foreach ((string path, Module module) in model.named_modules())
        {
            if (module.children().Any() || module is not Module<Tensor, Tensor> leaf) continue;
            var remover = leaf.register_forward_hook((m, _, output) =>
            {
                long[] shape = output.shape;
                shape[0] = 1;
                layers.Add(new LayerSummary(path, m.GetType().Name, shape, TrainableParameterCount(m), LayerMultiplyAdds(m, output) / Batch));
                return output;
            });
            removers.Add(remover.remove);
        }

        bool wasTraining = model.training;
        Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
        try
        {
            model.eval();
            using var noGrad = no_grad();
            using DisposeScope scope = NewDisposeScope();
            model.call(zeros(input.WithBatch(Batch), device: device));
        }
        finally
        {
            removers.ForEach(remove => remove());
            model.train(wasTraining);
        }
        return new ModelSummary(name, input, classes, TrainableParameterCount(model), layers.Sum(l => l.MultiplyAdds), layers);
    }

    // Two images, not one: LibTorch 2.10 logs an NNPACK warning for every convolution of a single image on CPUs
    // without NNPACK support. Shapes are reported per image.
    const int Batch = 2;

    /// <summary>Number of trainable values in <paramref name="module"/> and its children.</summary>
    public static long TrainableParameterCount(Module module) =>
        module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    static long LayerMultiplyAdds(Module module, Tensor output)
    {
        // Convolutions and linear layers: each output value costs (weight values per output channel) multiply-adds.
        Tensor? weight = module switch
        {
            Convolution c => c.weight,
            Linear l => l.weight,
            _ => null,
        };
        return weight is null ? 0 : output.numel() * (weight.numel() / weight.shape[0]);
    }

    /// <summary>A readable table of the layers and the totals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Model: {ModelName} (input {Input}, {Classes} classes)");
        string rule = new('-', 96);
        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Layer",-40} {"Type",-16} {"Output shape",-20} {"Params",12}");
        text.AppendLine(rule);
        foreach (LayerSummary layer in Layers)
        {
            string shape = "[" + string.Join(", ", layer.OutputShape) + "]";
            text.AppendLine(CultureInfo.InvariantCulture, $"{layer.Name,-40} {layer.Type,-16} {shape,-20} {layer.TrainableParameters,12:N0}");
        }
        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable parameters: {TrainableParameters:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Multiply-adds per image: {MultiplyAdds:N0} ({MultiplyAdds / 1e6:F1} M)");
        return text.ToString();
    }
}
