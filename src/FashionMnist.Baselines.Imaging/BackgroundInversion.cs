namespace FashionMnist.Baselines.Imaging;

/// <summary>When an image's grey levels are inverted, so that the garment is light on black as in Fashion-MNIST.</summary>
public enum BackgroundInversion
{
    /// <summary>When the background is light: the mean grey of the image's outermost row and column of pixels is above 127.</summary>
    WhenLight,

    /// <summary>Always (photos of dark garments on a dark background, say).</summary>
    Always,

    /// <summary>Never (images already in Fashion-MNIST's form).</summary>
    Never,
}
