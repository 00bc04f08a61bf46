using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>Copies a single grey channel into <see cref="Channels"/> channels (1 to 3 for ImageNet-style models).</summary>
public sealed class ReplicateChannels : IBatchTransform
{
    /// <summary>Creates the transform.</summary>
    public ReplicateChannels(int channels = 3)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one channel is needed.");
        Channels = channels;
    }

    /// <summary>Number of output channels.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.shape[1] != 1)
        {
            throw new ArgumentException($"ReplicateChannels takes one-channel images; got {images.shape[1]} channels.", nameof(images));
        }
        using Tensor expanded = images.expand(-1, Channels, -1, -1);
        return expanded.contiguous();
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"ReplicateChannels({Channels})");
}
