using FashionMnist.Baselines.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.optim;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// Channels-last (NHWC) storage for a model's 4-D weights, for <see cref="TrainerOptions.ChannelsLast"/>. LibTorch picks
/// its oneDNN convolution path from the strides: with channels-last weights every convolution produces channels-last
/// activations, and most of the NCHW-to-blocked reorders around each convolution disappear (docs/benchmarks.md:
/// a ResNet-20 step 1.16x faster on 2 cores). A one-channel input image is the same in both layouts, which is why the
/// weights, not the batches, carry the format.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 has no memory_format API (the layout is made by permuting to NHWC, copying and permuting back) and
/// cannot write a non-contiguous tensor to a file, so every save goes through <see cref="WhileContiguous"/>.
/// The values are unchanged; only the order in memory, and so the order of some floating-point sums, differs.
/// </remarks>
internal static class ChannelsLastLayout
{
    /// <summary>A copy of the 4-D tensor <paramref name="t"/> with channels-last strides.</summary>
    internal static Tensor Of(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>
    /// Stores every 4-D parameter of <paramref name="model"/> channels-last (in place: the same parameter objects).
    /// Refuses a model that LibTorch cannot run channels-last: a native crash cannot be caught afterwards.
    /// </summary>
    internal static void Apply(Module model)
    {
        if (model is MobileNetV1 { CrashesOneDnnChannelsLast: true })
        {
            throw new InvalidOptionException("TrainerOptions.ChannelsLast", true,
                "expected false for MobileNet v1 (width 1.0) on 56x56 input: LibTorch 2.10's oneDNN kills the process (SIGFPE) "
                + "when it sets up that model's channels-last 1x1 convolution of 512 to 1,024 channels on 2x2 maps; train it "
                + "in the standard layout (channels-last does not speed MobileNet up) or use mobilenet-28");
        }
        Parameter[] standard = model.parameters().Where(p => p.dim() == 4 && p.is_contiguous()).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // frees the copies' handles; set_ keeps their storage in the parameters
        foreach (Parameter p in standard) p.set_(Of(p));
    }

    /// <summary>
    /// Stores every parameter of <paramref name="model"/> contiguously again (the standard layout); returns the
    /// parameters that were not, so that <see cref="WhileContiguous"/> can put them back.
    /// </summary>
    internal static Parameter[] Undo(Module model)
    {
        Parameter[] channelsLast = model.parameters().Where(p => !p.is_contiguous()).ToArray();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (Parameter p in channelsLast) p.set_(p.contiguous());
        return channelsLast;
    }

    /// <summary>
    /// Runs <paramref name="save"/> while the parameters of <paramref name="model"/> and the state tensors of
    /// <paramref name="optimizer"/> are contiguous, then puts back the channels-last parameters. The optimizer state
    /// stays contiguous: its layout only matters for the element-wise update.
    /// </summary>
    internal static void WhileContiguous(Module model, OptimizerHelper? optimizer, Action save)
    {
        Parameter[] channelsLast = Undo(model);
        // The optimizer state takes its layout from the parameters' gradients: with every parameter contiguous (the
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
            foreach (Parameter p in channelsLast) p.set_(Of(p));
        }
    }

    // The state tensors of the optimizers OptimizerOptions creates (they inherit the gradients' layout).
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
            if (t is not null && !t.is_contiguous()) t.set_(t.contiguous());
        }
    }
}
