using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.optim;

namespace FashionMnist.Baselines.Runtime;

/// <summary>
/// Channels-last (NHWC) storage for a model's 4-D weights, for <c>TrainerOptions.ChannelsLast</c>. LibTorch picks
/// its oneDNN convolution path from the strides: with channels-last weights every convolution produces channels-last
/// activations, and most of the NCHW-to-blocked reorders around each convolution disappear (docs/benchmarks.md:
/// a ResNet-20 or MobileNet training step about 1.4x faster on 2 cores). The weights carry the format, so the batches
/// need no conversion.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 has no memory_format API (the layout is made with explicit strides, <c>empty_strided</c> and a
/// copy) and cannot write a non-contiguous tensor to a file, so every save goes through <see cref="WhileContiguous"/>.
/// The values are unchanged; only the order in memory, and so the order of some floating-point sums, differs.
/// </remarks>
internal static class ChannelsLastLayout
{
    /// <summary>A copy of the 4-D tensor <paramref name="t"/> with exactly the channels-last strides.</summary>
    /// <remarks>
    /// Made with explicit strides, not by permuting to NHWC, copying and permuting back: when the channels or the
    /// spatial size are 1 (a 1x1 kernel, a depthwise or one-channel kernel, a one-channel image), the permuted tensor
    /// already counts as contiguous, the copy is skipped and the standard strides come back. The bytes would be the
    /// same either way, but LibTorch chooses the layout of a convolution's output from the strides of its input and
    /// weight, so a MobileNet (1x1 and depthwise kernels only, after a one-channel stem) stayed entirely NCHW.
    /// </remarks>
    internal static Tensor Of(Tensor t)
    {
        long[] shape = t.shape;
        long channels = shape[1], width = shape[3];
        return WithStrides(t, [channels * shape[2] * width, 1, width * channels, channels]);
    }

    /// <summary>A copy of <paramref name="t"/> laid out with exactly <paramref name="strides"/>.</summary>
    static Tensor WithStrides(Tensor t, long[] strides)
    {
        Tensor copy = empty_strided(t.shape, strides, t.dtype, t.device);
        copy.copy_(t);
        return copy;
    }

    /// <summary>
    /// Stores every 4-D parameter of <paramref name="model"/> channels-last (in place: the same parameter objects),
    /// except the weights of convolutions that LibTorch cannot run channels-last (<see cref="CrashesOneDnn"/>). Such a
    /// convolution must also get a standard input, so it has to be registered right after a
    /// <see cref="StandardLayout"/> module in the same parent (as in <c>MobileNetV1</c>'s Sequential, where the
    /// order of registration is the order of execution); a model without one is refused, since a native crash cannot
    /// be caught afterwards.
    /// </summary>
    internal static void Apply(Module model)
    {
        HashSet<Parameter> keepStandard = CheckSupported(model);
        Parameter[] standard = model.parameters().Where(p => p.dim() == 4 && HasStandardStrides(p) && !keepStandard.Contains(p)).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // frees the copies' handles; set_ keeps their storage in the parameters
        foreach (Parameter p in standard) p.set_(Of(p));
    }

    /// <summary>
    /// Refuses a model with a convolution that <see cref="CrashesOneDnn"/> and no <see cref="StandardLayout"/> right
    /// before it; returns the weights of the guarded ones, which stay standard.
    /// </summary>
    /// <exception cref="InvalidOptionException">Such a convolution is unguarded.</exception>
    internal static HashSet<Parameter> CheckSupported(Module model)
    {
        (Conv2d[] guarded, (string Name, Conv2d Conv)? unguarded) = Survey(model);
        if (unguarded is (string name, Conv2d conv))
        {
            throw new InvalidOptionException("TrainerOptions.ChannelsLast", true,
                $"expected false for this model: its layer '{name}' is a 1x1 convolution of {conv.in_channels} to "
                + $"{conv.out_channels} channels, which LibTorch 2.10's oneDNN cannot set up channels-last (the process dies "
                + "with SIGFPE), and no StandardLayout module comes right before it to keep it in the standard layout");
        }
        return new HashSet<Parameter>(guarded.Select(conv => conv.weight!), ReferenceEqualityComparer.Instance);
    }

    /// <summary>
    /// The convolutions of <paramref name="model"/> that <see cref="CrashesOneDnn"/>: those registered right after a
    /// <see cref="StandardLayout"/> module in the same parent (which must keep standard weights), and the first one
    /// without such a guard, if any (with which the model cannot run channels-last at all).
    /// </summary>
    internal static (Conv2d[] Guarded, (string Name, Conv2d Conv)? Unguarded) Survey(Module model)
    {
        var guarded = new List<Conv2d>();
        // TorchSharp lists a module's children together, in order of registration, before the children's own modules.
        (string Name, Module Module)[] modules = model.named_modules().ToArray();
        static string Parent(string name) => name.LastIndexOf('.') is int dot and >= 0 ? name[..dot] : "";
        for (int i = 0; i < modules.Length; i++)
        {
            if (modules[i].Module is not Conv2d conv || !CrashesOneDnn(conv)) continue;
            bool isGuarded = i > 0 && modules[i - 1].Module is StandardLayout && Parent(modules[i - 1].Name) == Parent(modules[i].Name);
            if (!isGuarded) return ([.. guarded], (modules[i].Name, conv));
            guarded.Add(conv);
        }
        return ([.. guarded], null);
    }

    /// <summary>
    /// Whether LibTorch 2.10's oneDNN 3.7 dies with SIGFPE (a division by zero in <c>brg_blocking_t::est_eff_1x1</c>)
    /// when it sets up <paramref name="conv"/> with a channels-last input or weight, on more than one CPU thread.
    /// </summary>
    /// <remarks>
    /// Measured one process per shape with <c>Bench conv</c> (docs/benchmarks.md): 1x1 convolutions of 256 to 1,024,
    /// 512 to 1,024, 512 to 2,048 and 1,024 to 2,048 channels crash at every map size tried (1 to 14) and batch
    /// size (2 to 100) on 2, 3, 4 and 8 threads; 128, 192, 320, 384 or 480 to 1,024, 1,024 to 1,024, 512 to 768,
    /// 960, 1,280 or 1,536, 256 to 2,048 and 1,024 or 2,048 to 4,096 do not, nor does a 3x3 kernel. The rule covers the
    /// crashing shapes with a margin: a 1x1 kernel, no groups, input channels a multiple of 256, output channels a
    /// multiple of 1,024 and more than the input channels.
    /// </remarks>
    internal static bool CrashesOneDnn(Conv2d conv) =>
        conv.kernel_size is [1, 1] && conv.groups == 1 && conv.in_channels % 256 == 0 && conv.out_channels % 1024 == 0
        && conv.in_channels < conv.out_channels;

    /// <summary>
    /// Stores every parameter of <paramref name="model"/> with the standard strides again; returns the parameters that
    /// had others, with those strides, so that <see cref="WhileContiguous"/> can put them back as they were.
    /// </summary>
    internal static (Parameter Parameter, long[] Strides)[] Undo(Module model)
    {
        (Parameter, long[])[] changed = model.parameters().Where(p => !HasStandardStrides(p)).Select(p => (p, p.stride())).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach ((Parameter p, _) in changed) p.set_(Standard(p));
        return changed;
    }

    /// <summary>
    /// Whether <paramref name="t"/> has the strides of a new tensor of its shape. Stricter than
    /// <c>is_contiguous</c>, which ignores the strides of dimensions of size 1: a channels-last 1x1 kernel is
    /// contiguous, and still makes its convolution produce channels-last output.
    /// </summary>
    internal static bool HasStandardStrides(Tensor t) => t.stride().SequenceEqual(StandardStrides(t.shape));

    // The strides of a new tensor of this shape: each dimension's stride is the product of the later sizes.
    static long[] StandardStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long next = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = next;
            next *= shape[d];
        }
        return strides;
    }

    /// <summary>A copy with the standard strides (<c>contiguous()</c> returns a channels-last 1x1 kernel unchanged).</summary>
    internal static Tensor Standard(Tensor t) => WithStrides(t, StandardStrides(t.shape));

    /// <summary>
    /// Runs <paramref name="save"/> while the parameters of <paramref name="model"/> and the state tensors of
    /// <paramref name="optimizer"/> have the standard strides (which TorchSharp's file format needs), then gives the
    /// parameters their strides back. The optimizer state stays standard: its layout only matters for the
    /// element-wise update.
    /// </summary>
    internal static void WhileContiguous(Module model, OptimizerHelper? optimizer, Action save)
    {
        (Parameter Parameter, long[] Strides)[] channelsLast = Undo(model);
        // The optimizer state takes its layout from the parameters' gradients: with every parameter standard (the
        // default), there is nothing to do.
        if (channelsLast.Length > 0 && optimizer is not null)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            foreach (OptimizerState state in optimizer.state_dict().State) MakeContiguous(state);
        }
        try
        {
            save();
        }
        finally
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            foreach ((Parameter p, long[] strides) in channelsLast) p.set_(WithStrides(p, strides));
        }
    }

    // The state tensors of the optimizers OptimizerSettings creates (they inherit the gradients' layout).
    static void MakeContiguous(OptimizerState state)
    {
        Tensor?[] tensors = state switch
        {
            SGD.State s => [s.momentum_buffer],
            Adam.State s => [s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq],
            AdamW.State s => [s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq],
            Adamax.State s => [s.exp_avg, s.exp_inf],
            Adadelta.State s => [s.square_avg, s.acc_delta],
            _ => throw new NotSupportedException($"Channels-last training cannot save the state of {state.GetType().FullName}."),
        };
        foreach (Tensor? t in tensors)
        {
            if (t is not null && !HasStandardStrides(t)) t.set_(Standard(t));
        }
    }
}
