using FashionMnist.Baselines.Data;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>
/// Transforms applied one after another to training batches. The trainer applies a pipeline to training batches
/// only, never to validation or test batches.
/// </summary>
public sealed class AugmentationPipeline : IBatchTransform
{
    /// <summary>Creates a pipeline of <paramref name="transforms"/>, applied in order.</summary>
    public AugmentationPipeline(params IBatchTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Any(t => t is null)) throw new ArgumentException("A pipeline cannot hold a null transform.", nameof(transforms));
        Transforms = transforms.ToArray();
    }

    /// <summary>The transforms, in order.</summary>
    public IReadOnlyList<IBatchTransform> Transforms { get; }

    /// <summary>
    /// The Random Erasing paper's Fashion-MNIST recipe on batches normalised with <paramref name="normalization"/>:
    /// random crop 28 with 4 pixels of black padding, random horizontal flip, Random Erasing (p, sl 0.02, sh 0.4,
    /// r1 0.3, constant 0.4914).
    /// </summary>
    public static AugmentationPipeline RandomErasingRecipe(ImageNormalization normalization, double probability = 0.5)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        float black = normalization.Black;
        return new AugmentationPipeline(
            new RandomCrop(4, black),
            new RandomHorizontalFlip(),
            new RandomErasing(probability));
    }

    /// <summary>
    /// One of the library's standard pipelines for batches normalised with <paramref name="normalization"/> (crops pad
    /// with black in those units); <paramref name="erasingProbability"/> is Random Erasing's p.
    /// </summary>
    /// <returns>The pipeline, or null for <see cref="AugmentationPreset.None"/>.</returns>
    public static AugmentationPipeline? Preset(AugmentationPreset preset, ImageNormalization normalization, double erasingProbability = 0.5)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        float black = normalization.Black;
        return preset switch
        {
            AugmentationPreset.None => null,
            AugmentationPreset.Flip => new AugmentationPipeline(new RandomHorizontalFlip()),
            AugmentationPreset.CropFlip => new AugmentationPipeline(new RandomCrop(4, black), new RandomHorizontalFlip()),
            AugmentationPreset.RandomErasing => RandomErasingRecipe(normalization, erasingProbability),
            _ => throw new InvalidOptionException("AugmentationPreset", preset, "expected one of " + string.Join(", ", Enum.GetNames<AugmentationPreset>())),
        };
    }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        Tensor current = images;
        foreach (IBatchTransform transform in Transforms)
        {
            current = transform.Apply(current, generator);
        }
        // With no transforms the input itself comes back: return a copy, so the caller always owns the result.
        return (ReferenceEquals(current, images) ? images.clone() : current).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => Transforms.Count == 0 ? "none" : string.Join(" -> ", Transforms);
}
