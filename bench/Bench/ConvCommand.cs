using System.Globalization;
using FashionMnist.Baselines.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench conv</c>: one convolution forward and backward with channels-last input and weight (or not): run one
/// process per shape to find the shapes that LibTorch 2.10's oneDNN cannot set up (ChannelsLastLayout.CrashesOneDnn).
/// </summary>
internal static class ConvCommand
{
    public static void Run(BenchArguments options)
    {
        int inputs = options.Int("in") ?? 512, outputs = options.Int("out") ?? 1024, size = options.Int("size") ?? 2;
        int kernel = options.Int("kernel") ?? 1, stride = options.Int("stride") ?? 1, groups = options.Int("groups") ?? 1;
        int batch = options.Int("batch") ?? 100;
        bool channelsLastInput = !options.Has("standard-input"), channelsLastWeight = !options.Has("standard-weight");
        bool channelsLast = channelsLastInput || channelsLastWeight;
        using var scope = NewDisposeScope();
        Tensor x = randn(batch, inputs, size, size), w = randn(outputs, inputs / groups, kernel, kernel);
        if (channelsLastInput) x = ChannelsLastLayout.Of(x);
        if (channelsLastWeight) w = ChannelsLastLayout.Of(w);
        x.requires_grad_();
        w.requires_grad_();
        Tensor y = functional.conv2d(x, w, strides: [stride, stride], padding: [kernel / 2, kernel / 2], groups: groups);
        Console.WriteLine("forward done");
        y.sum().backward();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT conv in={inputs} out={outputs} size={size} kernel={kernel} stride={stride} groups={groups} batch={batch} channels_last={channelsLast} output_channels_last={y.stride()[1] == 1 && outputs > 1} ok"));
    }
}
