using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Reporting;

namespace FashionMnist.Baselines.Recipes;

/// <summary>
/// Finds what a weights file is: the file a path names (weights, or a run folder's best weights) and its
/// <see cref="ModelCard"/>, from the card saved beside it, else from the run folder that holds it, else from the model
/// name given and that model's recipe. <c>fmb evaluate</c> goes through here.
/// </summary>
public static class ModelFiles
{
    /// <summary>The weights file <paramref name="weightsOrRunFolder"/> names: the file itself, or a run folder's best weights.</summary>
    public static string WeightsPath(string weightsOrRunFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsOrRunFolder);
        return Directory.Exists(weightsOrRunFolder) ? new RunFolder(weightsOrRunFolder).BestWeights : weightsOrRunFolder;
    }

    /// <summary>
    /// The model that saved weights, or a run folder's best weights, hold, ready for use: <see cref="WeightsPath"/>,
    /// <see cref="Card"/> (<paramref name="model"/> overrides what the files say) and <see cref="ModelWeights.LoadModel"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such weights file.</exception>
    /// <exception cref="InvalidWeightsFileException">The weights are damaged, or nothing says which model they hold.</exception>
    /// <exception cref="ModelWeightsMismatchException">The weights are of another architecture than the model named.</exception>
    public static LoadedModel Load(string weightsOrRunFolder, string? model = null)
    {
        string weights = WeightsPath(weightsOrRunFolder);
        if (!File.Exists(weights)) throw new FileNotFoundException($"The weights file {weights} does not exist.", weights);
        return ModelWeights.LoadModel(weights, Card(weights, model));
    }

    /// <summary>
    /// The card of <paramref name="weightsPath"/>. <paramref name="model"/> and <paramref name="normalization"/>, when
    /// given, replace what the files say; without a card or run folder they are what there is (Fashion-MNIST's
    /// 1x28x28 images and ten classes, and the model's recipe normalisation when none is given).
    /// </summary>
    /// <exception cref="InvalidWeightsFileException">Nothing says which model the file holds and no model was given.</exception>
    public static ModelCard Card(string weightsPath, string? model = null, ImageNormalization? normalization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        ModelCard? card = ModelCard.ReadFor(weightsPath) ?? FromRunFolder(weightsPath);
        string name = model ?? card?.Model
            ?? throw new InvalidWeightsFileException(weightsPath, "nothing beside it says which model it holds (no model card, no run.json above it); name the model");
        ImageNormalization scale = normalization ?? card?.Normalization ?? RecipeNormalization(name);
        return new ModelCard(name, card?.Input ?? new ImageShape(1, 28, 28), card?.ClassNames ?? FashionMnistFiles.ClassNames.ToArray(),
            scale.Mean.ToArray(), scale.Std.ToArray());
    }

    /// <summary>The card a run folder above <paramref name="weightsPath"/> gives through its run.json, or null.</summary>
    static ModelCard? FromRunFolder(string weightsPath)
    {
        for (DirectoryInfo? dir = new FileInfo(weightsPath).Directory; dir != null; dir = dir.Parent)
        {
            var run = new RunFolder(dir.FullName);
            if (!File.Exists(run.RunJson)) continue;
            RunRecord record = run.ReadRecord();
            return new ModelCard(record.Model, new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames.ToArray(), record.NormalizationMean, record.NormalizationStd);
        }
        return null;
    }

    /// <summary>The normalisation the model's published recipe trains with (the seed CNN and MobileNet use none).</summary>
    static ImageNormalization RecipeNormalization(string model)
    {
        try
        {
            return BaselineRecipes.For(model).Normalization;
        }
        catch (ArgumentException)
        {
            return ImageNormalization.FashionMnist;
        }
    }
}
