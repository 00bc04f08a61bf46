using FashionMnist.Baselines.Models;

namespace FashionMnist.Baselines.Cli;

/// <summary>Model names as the user types them on the command line.</summary>
internal static class ModelName
{
    /// <summary>
    /// The factory for <paramref name="name"/>. An unknown name is a usage error (exit code 2, with the registry's list
    /// of valid names), not a crash.
    /// </summary>
    public static IModelFactory Resolve(string name)
    {
        try
        {
            return ModelRegistry.Resolve(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
