using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Recipes;

/// <summary>
/// A recipe with its data loaded and split, ready for <see cref="RecipeRunner.Run(PreparedRun, Reporting.RunFolder, IProgress{Training.TrainingProgress}?, CancellationToken)"/>: what the run will train,
/// validate and test on, for a caller that wants to show it first. Disposing it frees the data.
/// </summary>
public sealed class PreparedRun : IDisposable
{
    internal PreparedRun(BaselineRecipe recipe, IModelFactory factory, RunSettings settings, InMemoryDataset train, InMemoryDataset? validation, InMemoryDataset test)
    {
        Recipe = recipe;
        Factory = factory;
        Settings = settings;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>The recipe.</summary>
    public BaselineRecipe Recipe { get; }

    /// <summary>The recipe's model.</summary>
    public IModelFactory Factory { get; }

    /// <summary>The run's settings.</summary>
    public RunSettings Settings { get; }

    /// <summary>The training images.</summary>
    public InMemoryDataset Train { get; }

    /// <summary>The validation images (null: none, the final model is tested).</summary>
    public InMemoryDataset? Validation { get; }

    /// <summary>The test set, used once at the end (and every epoch when <see cref="RunSettings.MonitorTest"/>, for the record only).</summary>
    public InMemoryDataset Test { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
    }
}
