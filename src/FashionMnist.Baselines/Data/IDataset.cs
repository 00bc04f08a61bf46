using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// A labelled image set held as tensors: what a training or evaluation loop needs from its data.
/// </summary>
public interface IDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Shape of one image.</summary>
    ImageShape ImageShape { get; }

    /// <summary>Class names in label order: label <c>i</c> is <c>ClassNames[i]</c>.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The raw images, uint8 <c>[N, C, H, W]</c> with pixel values 0..255, on the CPU.</summary>
    Tensor Images { get; }

    /// <summary>The labels, int64 <c>[N]</c> with values in <c>0 .. ClassNames.Count - 1</c>, on the CPU.</summary>
    Tensor Labels { get; }

    /// <summary>The normalisation that <see cref="GetBatch"/> applies to the images.</summary>
    ImageNormalization Normalization { get; }

    /// <summary>
    /// Gathers the samples at <paramref name="indices"/> (int64, CPU) into one batch on <paramref name="device"/>:
    /// images converted to float32 and normalised, labels as int64. The returned batch owns its tensors.
    /// </summary>
    Batch GetBatch(Tensor indices, Device device);
}
