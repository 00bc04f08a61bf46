namespace FashionMnist.Baselines.Data;

/// <summary>Which of the two official Fashion-MNIST sets to load.</summary>
public enum FashionMnistPart
{
    /// <summary>The 60,000 training images (6,000 per class).</summary>
    Train,

    /// <summary>The 10,000 test images (1,000 per class).</summary>
    Test,
}
