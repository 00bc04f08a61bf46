using ScottPlot;

namespace FashionMnist.Baselines.Plots;

/// <summary>Saves plots so that a reader never sees a half-written PNG.</summary>
internal static class PlotFiles
{
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + $".{Guid.NewGuid():N}.partial.png";
        try
        {
            plot.SavePng(temporary, width, height);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
