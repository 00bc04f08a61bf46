using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Models;

public sealed class ParameterCountTests
{
    static readonly ImageShape Fashion = new(1, 28, 28);

    [Theory]
    [InlineData("cnn", 468_074)]
    [InlineData("cnn-torchbn", 468_074)]
    [InlineData("mobilenet", 3_217_226)]
    [InlineData("wrn-16-4", 2_748_602)]
    [InlineData("wrn-16-8", 10_961_082)]
    [InlineData("wrn-28-10", 36_478_906)]
    [InlineData("wrn-40-4", 8_948_922)]
    public void Published_counts(string name, long expected)
    {
        ModelRegistry.Resolve(name).Describe(Fashion, 10).TrainableParameters.Should().Be(expected);
    }

    [Theory]
    [InlineData("mobilenet", 1.0, 3)]
    [InlineData("mobilenet-0.75", 0.75, 3)]
    [InlineData("mobilenet-0.5", 0.5, 3)]
    [InlineData("mobilenet-0.25", 0.25, 3)]
    [InlineData("mobilenet-28", 1.0, 1)]
    [InlineData("mobilenet-28-0.75", 0.75, 1)]
    [InlineData("mobilenet-28-0.5", 0.5, 1)]
    [InlineData("mobilenet-28-0.25", 0.25, 1)]
    public void MobileNet_counts_follow_the_architecture(string name, double alpha, int inputChannels)
    {
        ModelRegistry.Resolve(name).Describe(Fashion, 10).TrainableParameters.Should().Be(MobileNetCount(alpha, inputChannels, 10));
    }

    [Theory]
    [InlineData("resnet-20", 272_186)]
    [InlineData("resnet-32", 466_618)]
    [InlineData("resnet-44", 0)]
    [InlineData("resnet-56", 0)]
    [InlineData("resnet-110", 0)]
    public void ResNet_counts_follow_the_architecture(string name, long published)
    {
        int depth = int.Parse(name["resnet-".Length..]);
        long expected = ResNetCount(depth, 10);
        if (published > 0) expected.Should().Be(published, "ResNet-20 and -32 are the well-known 0.27 M and 0.47 M less one input channel");

        ModelRegistry.Resolve(name).Describe(Fashion, 10).TrainableParameters.Should().Be(expected);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    public void ResNet9_counts_follow_the_architecture(int width)
    {
        ModelRegistry.Resolve($"resnet9-{width}").Describe(Fashion, 10).TrainableParameters.Should().Be(ResNet9Count(width, 1, 10));
    }

    [Fact]
    public void ResNet9_64_on_colour_images_is_Pages_network()
    {
        long count = new ResNet9Factory(64).Describe(new ImageShape(3, 32, 32), 10).TrainableParameters;

        count.Should().Be(ResNet9Count(64, 3, 10)).And.Be(6_573_120, "Page's CIFAR-10 ResNet-9 has the well-known 6.57 M parameters");
        ModelRegistry.Resolve("resnet9-32").Describe(Fashion, 10).TrainableParameters.Should().Be(1_645_536, "the fast recipe's model");
    }

    /// <summary>ResNet-9 counted by hand: five convolution units and two residual pairs (3x3, no bias, BatchNorm), a linear layer without bias.</summary>
    static long ResNet9Count(int w, int inputChannels, int classes)
    {
        long Unit(long c, long o) => 9 * c * o + 2 * o;
        return Unit(inputChannels, w) + Unit(w, 2 * w) + 2 * Unit(2 * w, 2 * w) + Unit(2 * w, 4 * w) + Unit(4 * w, 8 * w)
            + 2 * Unit(8 * w, 8 * w) + 8L * w * classes;
    }

    /// <summary>MobileNet v1 counted by hand: conv + BN, 13 depthwise-separable blocks with two BNs each, linear.</summary>
    static long MobileNetCount(double alpha, int inputChannels, int classes)
    {
        int W(int c) => (int)(c * alpha);
        long total = inputChannels * W(32) * 9 + 2 * W(32);
        int channels = W(32);
        foreach (int c in new[] { 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024 })
        {
            total += channels * 9 + 2 * channels + channels * W(c) + 2 * W(c);
            channels = W(c);
        }
        return total + channels * classes + classes;
    }

    /// <summary>The Random Erasing reference ResNet counted by hand (one input channel).</summary>
    static long ResNetCount(int depth, int classes)
    {
        int n = (depth - 2) / 6;
        bool bottleneck = depth >= 44;
        int expansion = bottleneck ? 4 : 1;
        long total = 1 * 16 * 9 + 2 * 16;
        int inChannels = 16;
        foreach ((int planes, int stride) in new[] { (16, 1), (32, 2), (64, 2) })
        {
            for (int i = 0; i < n; i++)
            {
                int s = i == 0 ? stride : 1;
                int outChannels = planes * expansion;
                total += bottleneck
                    ? inChannels * planes + 2 * planes + 9 * planes * planes + 2 * planes + planes * outChannels + 2 * outChannels
                    : 9 * inChannels * planes + 2 * planes + 9 * planes * planes + 2 * planes;
                if (s != 1 || inChannels != outChannels) total += inChannels * outChannels + 2 * outChannels;
                inChannels = outChannels;
            }
        }
        return total + inChannels * classes + classes;
    }
}
