using System.Runtime.InteropServices;
using FashionMnist.Baselines.Runtime;
using TorchSharp;
using FashionMnist.Baselines.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// Refuses, before any work, a model that cannot take a data set's images or whose output does not have one logit per
/// class. Without it such a model fails in the middle of an epoch with LibTorch's "Target 9 is out of bounds", far from
/// its cause.
/// </summary>
internal static class ModelCompatibility
{
    /// <summary>Runs two blank images of <paramref name="data"/>'s shape through <paramref name="model"/> (evaluation mode, no gradients) and checks the output.</summary>
    /// <exception cref="InvalidOptionException">The model fails on the images or gives other than <c>[N, classes]</c>.</exception>
    public static void Check(Module<Tensor, Tensor> model, IDataset data, string dataName)
    {
        int classes = data.ClassNames.Count;
        Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
        bool wasTraining = model.training;
        model.eval(); // no BatchNorm statistics move, no dropout draws a number
        try
        {
            using var noGrad = no_grad();
            using var region = new NoCollectionRegion(); // like every step of the trainer (see NoCollectionRegion)
            using DisposeScope scope = NewDisposeScope();
            long[] shape;
            try
            {
                // Two images, not one: LibTorch logs an NNPACK warning per convolution for a batch of one on some CPUs.
                shape = model.call(zeros(data.ImageShape.WithBatch(2), device: device)).shape;
            }
            catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidOptionException("model", model.GetType().Name,
                    $"expected a model that takes the {dataName} set's images ([N, {data.ImageShape.Channels}, {data.ImageShape.Height}, {data.ImageShape.Width}]); " +
                    $"it failed on them: {e.Message.Split('\n')[0]}");
            }
            if (shape.Length != 2 || shape[1] != classes)
            {
                throw new InvalidOptionException("model", model.GetType().Name,
                    $"expected an output of {classes} logits per image, one per class of the {dataName} set; the model gives [{string.Join(", ", shape)}] for 2 images " +
                    "(build it with the data set's class count)");
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Refuses a model with nothing to train, which would train at chance without a word.</summary>
    public static void CheckTrainable(Module<Tensor, Tensor> model)
    {
        if (!model.parameters().Any(p => p.requires_grad))
        {
            throw new InvalidOptionException("model", model.GetType().Name,
                "expected a module with trainable parameters; it has none registered. A custom module must call RegisterComponents() " +
                "at the end of its constructor (after assigning its layers to fields), or TorchSharp does not see its layers");
        }
    }
}
