using FashionMnist.Baselines.Augmentation;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Augmentation;

public sealed class FlipShiftAveragingClassifierTests
{
    /// <summary>A small classifier that sees every pixel's position (a dense layer), so every view answers differently.</summary>
    static Module<Tensor, Tensor> PositionalClassifier(int seed)
    {
        manual_seed(seed);
        return Sequential(("conv", Conv2d(1, 4, 3, padding: 1)), ("relu", ReLU()), ("flatten", Flatten()), ("dense", Linear(4 * 6 * 5, 3)));
    }

    /// <summary>Moves every image by <paramref name="by"/> pixels down and right with a C# loop over a copy: the definition, written out.</summary>
    static Tensor ShiftedByHand(Tensor images, int by, float fill)
    {
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        float[] source = images.contiguous().data<float>().ToArray();
        float[] target = new float[source.Length];
        for (long b = 0; b < n; b++)
        for (long i = 0; i < h; i++)
        for (long j = 0; j < w; j++)
        {
            long si = i - by, sj = j - by;
            target[(b * h + i) * w + j] = si >= 0 && si < h && sj >= 0 && sj < w ? source[(b * h + si) * w + sj] : fill;
        }
        return tensor(target, [n, 1, h, w]);
    }

    [Fact]
    public void Shifting_moves_pixels_as_stated_and_fills_what_comes_in()
    {
        using var scope = NewDisposeScope();
        using Module<Tensor, Tensor> classifier = PositionalClassifier(1);
        using var averaging = new FlipShiftAveragingClassifier(classifier, shift: 2, fill: -0.5f);
        Tensor images = arange(2 * 6 * 5, dtype: ScalarType.Float32).view(2, 1, 6, 5);

        Tensor down = averaging.Shifted(images, 2);
        Tensor up = averaging.Shifted(images, -2);

        down[0, 0, 2, 2].item<float>().Should().Be(images[0, 0, 0, 0].item<float>(), "pixel (0, 0) moves to (2, 2)");
        down[0, 0, 0].data<float>().ToArray().Should().OnlyContain(v => v == -0.5f, "the top rows come in from outside");
        up[1, 0, 0, 0].item<float>().Should().Be(images[1, 0, 2, 2].item<float>(), "pixel (2, 2) moves to (0, 0)");
        up[1, 0, 5].data<float>().ToArray().Should().OnlyContain(v => v == -0.5f, "the bottom rows come in from outside");
        down.allclose(ShiftedByHand(images, 2, -0.5f), rtol: 0, atol: 0).Should().BeTrue();
        up.allclose(ShiftedByHand(images, -2, -0.5f), rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void Its_probabilities_are_the_mean_of_the_six_views()
    {
        using var scope = NewDisposeScope();
        using Module<Tensor, Tensor> classifier = PositionalClassifier(2);
        classifier.eval();
        using var averaging = new FlipShiftAveragingClassifier(classifier, shift: 1, fill: 0.25f);
        Tensor images = randn(8, 1, 6, 5, generator: new TorchSharp.torch.Generator(7));

        using var noGrad = no_grad();
        Tensor[] views = [images, ShiftedByHand(images, 1, 0.25f), ShiftedByHand(images, -1, 0.25f)];
        Tensor expected = stack(views.SelectMany(v => new[] { v, v.flip(3) }).Select(v => functional.softmax(classifier.forward(v), 1)).ToArray()).mean([0L]);
        Tensor actual = functional.softmax(averaging.forward(images), 1);

        actual.allclose(expected, rtol: 1e-5, atol: 1e-7).Should().BeTrue();
        using var flipOnly = new FlipAveragingClassifier(PositionalClassifier(2));
        flipOnly.eval();
        functional.softmax(flipOnly.forward(images), 1).allclose(expected, atol: 1e-3).Should().BeFalse("the shifted views must count");
        averaging.training.Should().BeFalse("it keeps the classifier's mode");
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using Module<Tensor, Tensor> classifier = PositionalClassifier(3);
        ((Action)(() => new FlipShiftAveragingClassifier(classifier, shift: 0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("shift");
        ((Action)(() => new FlipShiftAveragingClassifier(classifier, fill: float.NaN))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("fill");
        using var averaging = new FlipShiftAveragingClassifier(classifier, shift: 5);
        ((Action)(() => averaging.forward(zeros(1, 1, 6, 5)))).Should().Throw<ArgumentException>().WithMessage("*6x5*shifted by 5*");
    }
}
