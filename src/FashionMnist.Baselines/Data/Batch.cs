using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// One mini-batch: normalised float32 images <c>[B, C, H, W]</c> and int64 labels <c>[B]</c> on the requested device,
/// plus the positions of the samples in their data set (int64 <c>[B]</c>, on the CPU).
/// </summary>
/// <remarks>
/// A batch owns its tensors. <see cref="BatchIterator"/> disposes each batch when it moves to the next one, so that
/// memory stays flat over an epoch; call <see cref="Tensor.clone()"/> on a tensor you want to keep longer.
/// </remarks>
public sealed class Batch : IDisposable
{
    /// <summary>Wraps tensors that the batch will own.</summary>
    public Batch(Tensor images, Tensor labels, Tensor indices)
    {
        Images = images ?? throw new ArgumentNullException(nameof(images));
        Labels = labels ?? throw new ArgumentNullException(nameof(labels));
        Indices = indices ?? throw new ArgumentNullException(nameof(indices));
    }

    /// <summary>Normalised float32 images <c>[B, C, H, W]</c>.</summary>
    public Tensor Images { get; }

    /// <summary>Class labels, int64 <c>[B]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Positions of the samples in their data set, int64 <c>[B]</c> on the CPU.</summary>
    public Tensor Indices { get; }

    /// <summary>Number of samples in the batch.</summary>
    public int Count => (int)Labels.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Indices.Dispose();
    }
}
