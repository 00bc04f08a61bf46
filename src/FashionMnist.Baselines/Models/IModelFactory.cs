using FashionMnist.Baselines.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>Makes fresh, initialised instances of one model architecture.</summary>
public interface IModelFactory
{
    /// <summary>A stable name, as the <see cref="ModelRegistry"/> resolves it (for example <c>cnn</c> or <c>wrn-28-10</c>).</summary>
    string Name { get; }

    /// <summary>One line that says what the model is and where it comes from.</summary>
    string Description { get; }

    /// <summary>
    /// Creates a new model with freshly initialised weights (drawn from TorchSharp's global generator, so
    /// <c>torch.manual_seed</c> makes them repeatable) for images of <paramref name="input"/> shape and
    /// <paramref name="classes"/> classes, on <paramref name="device"/> (the CPU when null). It maps float32
    /// <c>[B, C, H, W]</c> to logits <c>[B, classes]</c>. Like every new TorchSharp module it is in training mode
    /// (dropout on, BatchNorm updating its statistics): call <c>eval()</c> before using it for predictions.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture cannot take this input shape or class count.</exception>
    Module<Tensor, Tensor> Create(ImageShape input, int classes, Device? device = null);
}
