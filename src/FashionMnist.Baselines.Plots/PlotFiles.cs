using ScottPlot;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Plots;

/// <summary>Saves plots so that a reader never sees a half-written PNG.</summary>
internal static class PlotFiles
{
    public static void SavePng(Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, temporary => plot.SavePng(temporary, width, height));
}
