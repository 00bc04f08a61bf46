using FashionMnist.Baselines.Data;
using TorchSharp;
using static TorchSharp.torch;

using FashionMnist.Baselines.Tests.Support;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>A learnable synthetic set: class c has a bright horizontal bar at rows 2c+3 and 2c+4, plus noise.</summary>
internal static class SyntheticData
{
    public static InMemoryDataset Bars(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        Tensor labels = randint(0, 10, [count], generator: generator);
        Tensor noise = rand([count, 1, 28, 28], generator: generator) * 80;
        Tensor rows = arange(28).view(1, 1, 28, 1);
        Tensor start = (labels * 2 + 3).view(-1, 1, 1, 1);
        Tensor bar = rows.ge(start).logical_and(rows.lt(start + 2)).to_type(ScalarType.Float32) * 170;
        Tensor images = (noise + bar).clamp(0, 255).to_type(ScalarType.Byte).expand(count, 1, 28, 28).contiguous();
        return new InMemoryDataset(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), FashionMnistFiles.ClassNames);
    }
}
