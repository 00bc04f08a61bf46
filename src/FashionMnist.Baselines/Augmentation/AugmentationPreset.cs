namespace FashionMnist.Baselines.Augmentation;

/// <summary>The library's standard augmentation pipelines (<see cref="AugmentationPipeline.Preset"/>).</summary>
public enum AugmentationPreset
{
    /// <summary>No augmentation.</summary>
    None,

    /// <summary>Random horizontal flip (the seed MobileNet's).</summary>
    Flip,

    /// <summary>Random crop with 4 pixels of black padding, then random horizontal flip.</summary>
    CropFlip,

    /// <summary>Crop, flip and Random Erasing: the Random Erasing paper's Fashion-MNIST recipe.</summary>
    RandomErasing,
}
