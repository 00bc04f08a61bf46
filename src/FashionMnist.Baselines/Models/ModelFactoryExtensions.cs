using FashionMnist.Baselines.Data;

namespace FashionMnist.Baselines.Models;

/// <summary>What every <see cref="IModelFactory"/> can do through its <see cref="IModelFactory.Create"/>.</summary>
public static class ModelFactoryExtensions
{
    /// <summary>
    /// Describes the model for <paramref name="input"/> and <paramref name="classes"/>: trainable parameters,
    /// multiply-adds per image and a layer-by-layer summary.
    /// </summary>
    public static ModelSummary Describe(this IModelFactory factory, ImageShape input, int classes) => ModelSummary.Of(factory, input, classes);
}
