using System.Globalization;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench bf16-conv</c>: whether LibTorch's bfloat16 convolutions compute what float64 computes, for 108 shapes
/// (2-32 input channels, 8-32 output channels, 1x1 and 3x3 kernels, strides 1 and 2, batch 32 of 28x28), in the
/// standard layout and channels-last. Each line gives the relative L2 error of the output and of the input gradient
/// (bfloat16 rounding alone gives about 0.003); "BAD" marks one over 0.01. bench/bf16_conv_check.py does the same in
/// PyTorch. Found with it: the standard-layout kernels are wrong on an AMD EPYC (Zen 5), which is why
/// BFloat16Compute computes channels-last.
/// </summary>
internal static class Bf16ConvCheckCommand
{
    public static void Run()
    {
        manual_seed(3);
        int bad = 0, badChannelsLast = 0, shapes = 0;
        foreach (int inputs in new[] { 2, 3, 4, 6, 8, 12, 16, 24, 32 })
        foreach (int outputs in new[] { 8, 16, 32 })
        foreach (int kernel in new[] { 1, 3 })
        foreach (int stride in new[] { 1, 2 })
        {
            using var scope = NewDisposeScope();
            shapes++;
            Tensor x = randn(32, inputs, 28, 28), w = randn(outputs, inputs, kernel, kernel) * 0.2;
            Tensor Conv(Tensor input, Tensor weight) => functional.conv2d(input, weight, strides: [stride, stride], padding: [kernel / 2, kernel / 2]);
            Tensor x64 = x.to(ScalarType.Float64).requires_grad_();
            Tensor y64 = Conv(x64, w.to(ScalarType.Float64));
            Tensor g = randn(y64.shape);
            y64.backward([g.to(ScalarType.Float64)]);
            static double Error(Tensor actual, Tensor wanted) => (actual.to(ScalarType.Float64) - wanted).norm().item<double>() / wanted.norm().item<double>();
            (double Output, double InputGradient) Check(Func<Tensor, Tensor> layout)
            {
                Tensor input = layout(x.to(ScalarType.BFloat16)).requires_grad_();
                Tensor y = Conv(input, layout(w.to(ScalarType.BFloat16)));
                y.backward([layout(g.to(ScalarType.BFloat16))]);
                return (Error(y, y64), Error(input.grad!, x64.grad!));
            }
            static bool IsBad((double Output, double InputGradient) e) => !(e.Output < 0.01 && e.InputGradient < 0.01); // NaN is bad
            var standard = Check(t => t);
            var channelsLast = Check(ChannelsLastLayout.Of);
            if (IsBad(standard)) bad++;
            if (IsBad(channelsLast)) badChannelsLast++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in={inputs} out={outputs} kernel={kernel} stride={stride}: standard output {standard.Output:F4} input-gradient {standard.InputGradient:F4}{(IsBad(standard) ? " BAD" : "")}; channels-last output {channelsLast.Output:F4} input-gradient {channelsLast.InputGradient:F4}{(IsBad(channelsLast) ? " BAD" : "")}"));
        }
        Console.WriteLine($"RESULT torchsharp bf16-conv shapes={shapes} bad_standard={bad} bad_channels_last={badChannelsLast} threads={get_num_threads()}");
    }
}
