using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Recipes;

namespace FashionMnist.Baselines.Cli;

/// <summary>Model names as the user types them on the command line.</summary>
internal static class ModelName
{
    /// <summary>
    /// The factory for <paramref name="name"/>. An unknown name is a usage error (exit code 2, with the registry's list
    /// of valid names), not a crash. <c>fast</c>, the fast recipe's name, stands for that recipe's model.
    /// </summary>
    public static IModelFactory Resolve(string name)
    {
        try
        {
            return ModelRegistry.Resolve(name.Trim().Equals(BaselineRecipes.FastName, StringComparison.OrdinalIgnoreCase) ? BaselineRecipes.Fast().Model : name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
