using System.Security.Cryptography;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Pretrained;

/// <summary>
/// One published set of weights: which model, how its input is prepared, which recipe trained it, its honest test
/// accuracy (selected on validation, tested once) and the SHA-256 of its file, checked on every load.
/// </summary>
/// <param name="Name">The entry's name (<c>fmb predict NAME ...</c>).</param>
/// <param name="Model">The model name, as <see cref="ModelRegistry"/> builds it.</param>
/// <param name="Normalization">The normalisation of the model's input (pixels scaled to [0, 1] first).</param>
/// <param name="Recipe">How it was trained: the command of its run.</param>
/// <param name="Run">The run folder in the repository that the weights come from (<c>docs/results/...</c>), with its report.</param>
/// <param name="TestAccuracy">The honest test accuracy of these weights on the 10,000 test images, without test-time augmentation.</param>
/// <param name="FlipAveragedTestAccuracy">The same with each image averaged with its mirror image (<c>FlipAveragingClassifier</c>), where the run reported it.</param>
/// <param name="Sha256">The SHA-256 of the weights file, lower-case hex.</param>
public sealed record PretrainedModel(
    string Name, string Model, ImageNormalization Normalization, string Recipe, string Run, double TestAccuracy,
    double? FlipAveragedTestAccuracy, string Sha256)
{
    /// <summary>The name of the embedded weights file.</summary>
    internal string ResourceName => Path.GetFileName(Run) + ".bin";

    /// <summary>The model card: Fashion-MNIST's 1x28x28 images and ten classes, this entry's model and normalisation.</summary>
    public ModelCard Card => new(Model, new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames.ToArray(), Normalization.Mean.ToArray(), Normalization.Std.ToArray());

    /// <summary>The model with these weights, ready for use: in evaluation mode, on the CPU.</summary>
    /// <exception cref="InvalidWeightsFileException">The embedded weights do not match their SHA-256 (a damaged package).</exception>
    public LoadedModel Load()
    {
        using Stream? stream = typeof(PretrainedModel).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) throw new InvalidWeightsFileException(ResourceName, "the package has no such embedded weights (a damaged package)");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Load(memory.ToArray());
    }

    /// <summary>Checks <paramref name="weights"/> against <see cref="Sha256"/>, then loads them.</summary>
    internal LoadedModel Load(byte[] weights)
    {
        string actual = Convert.ToHexString(SHA256.HashData(weights)).ToLowerInvariant();
        if (actual != Sha256)
        {
            throw new InvalidWeightsFileException($"{Name} ({ResourceName})", $"its SHA-256 is {actual}, expected {Sha256}: the weights are damaged; reinstall the package");
        }
        // TorchSharp loads weights from a file: a private temporary copy, deleted at once.
        string temporary = Path.Combine(Path.GetTempPath(), $"fmb-pretrained-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(temporary, weights);
            return ModelWeights.LoadModel(temporary, Card);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
