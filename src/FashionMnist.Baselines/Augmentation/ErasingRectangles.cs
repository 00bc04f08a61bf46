using static TorchSharp.torch;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>The rectangles Random Erasing chose for a batch: one entry per image, all on the CPU.</summary>
/// <param name="Erased">bool <c>[B]</c>: whether the image is erased.</param>
/// <param name="Top">int64 <c>[B]</c>: first erased row.</param>
/// <param name="Left">int64 <c>[B]</c>: first erased column.</param>
/// <param name="Height">int64 <c>[B]</c>: erased rows (0 when not erased).</param>
/// <param name="Width">int64 <c>[B]</c>: erased columns (0 when not erased).</param>
internal sealed record ErasingRectangles(Tensor Erased, Tensor Top, Tensor Left, Tensor Height, Tensor Width) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Erased.Dispose();
        Top.Dispose();
        Left.Dispose();
        Height.Dispose();
        Width.Dispose();
    }
}
