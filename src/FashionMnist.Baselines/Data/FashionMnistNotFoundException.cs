namespace FashionMnist.Baselines.Data;

/// <summary>No usable copy of Fashion-MNIST was found, and none could be downloaded.</summary>
public sealed class FashionMnistNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception with the places searched and the download error, if any.</summary>
    public FashionMnistNotFoundException(string message, IReadOnlyList<string> placesSearched, Exception? downloadError = null)
        : base(message, downloadError)
    {
        PlacesSearched = placesSearched;
    }

    /// <summary>Each place searched, with what was missing there.</summary>
    public IReadOnlyList<string> PlacesSearched { get; }
}
