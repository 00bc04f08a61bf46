using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Native;

public sealed class NativeBackendTests
{
    [Fact]
    public void Backend_initialises_and_multiplies_matrices()
    {
        using var scope = NewDisposeScope();
        using Tensor a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using Tensor b = tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });

        float[] product = matmul(a, b).data<float>().ToArray();

        product.Should().Equal(19f, 22f, 43f, 50f);
    }

    [Fact]
    public void Backend_runs_a_convolution_with_a_known_result()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(1, 1, 4, 4);
        Tensor kernel = ones(1, 1, 3, 3);

        Tensor output = nn.functional.conv2d(input, kernel);

        output.shape.Should().Equal(1, 1, 2, 2);
        output.data<float>().ToArray().Should().AllBeEquivalentTo(9f);
    }
}
