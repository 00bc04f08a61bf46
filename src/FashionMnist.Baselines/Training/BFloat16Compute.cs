using FashionMnist.Baselines.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// <see cref="Precision.BFloat16"/> on one model: while an instance is alive, the model's convolution and linear layers
/// hold bfloat16 copies of their weights, and float32 master copies live here, in the order of
/// <c>model.parameters()</c> (where the other parameters, BatchNorm's, are the model's own float32 ones). Training
/// steps the masters (<see cref="MasterParameters"/> is what the optimizer holds): <see cref="GradientsToMasters"/> after
/// the backward pass, <see cref="MastersToWorking"/> after the optimizer's step. <see cref="Dispose"/> gives the layers
/// float32 weights again with the masters' exact values, so checkpoints, weights files and callbacks that run between
/// epochs see a float32 model. Conv1d, Conv2d and Linear are cast, but for the few convolutions oneDNN runs slower in
/// bfloat16 (<see cref="KeptInFloat32"/>), which compute in float32 between casts; any other layer with parameters
/// keeps them in float32 (a custom layer that multiplies them with bfloat16 activations must cast itself). The
/// bfloat16 convolution weights are stored channels-last (<see cref="ToChannelsLast"/>), so that every bfloat16
/// convolution runs on oneDNN's channels-last kernels.
/// </summary>
internal sealed class BFloat16Compute : IDisposable
{
    readonly Module _model;
    readonly Module[] _cast;
    readonly Parameter[] _masters;
    readonly bool[] _isCast;
    readonly bool _ownsMasters;
    readonly Conv2d[] _madeChannelsLast;
    readonly List<HookableModule<Func<Module<Tensor, Tensor>, Tensor, Tensor>, Func<Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover> _hooks = [];
    Parameter[] _working;

    BFloat16Compute(Module model, Parameter[] masters, bool ownsMasters)
    {
        _model = model;
        _cast = CastLayers(model);
        _isCast = IsCast(model, _cast);
        _masters = masters;
        _ownsMasters = ownsMasters;
        Parameter[] current = [.. model.parameters()];
        using (no_grad())
        {
            for (int i = 0; i < current.Length; i++)
            {
                if (_isCast[i]) _masters[i].copy_(current[i]);
            }
        }
        foreach (Module layer in _cast) layer.to(ScalarType.BFloat16);
        _madeChannelsLast = ToChannelsLast(model, _cast);
        foreach (Module<Tensor, Tensor> layer in model.modules().Where(KeptInFloat32).Cast<Module<Tensor, Tensor>>())
        {
            _hooks.Add(layer.register_forward_pre_hook((_, input) => input.to(ScalarType.Float32)));
            _hooks.Add(layer.register_forward_hook((_, _, output) => output.to(ScalarType.BFloat16)));
        }
        _working = [.. model.parameters()];
    }

    /// <summary>What the optimizer steps: the float32 masters of the cast layers and the model's other parameters.</summary>
    public IReadOnlyList<Parameter> MasterParameters => _masters;

    /// <summary>
    /// The parameters a bfloat16 run's optimizer steps, in the order of <c>model.parameters()</c>: float32 copies of
    /// the cast layers' parameters and the model's other parameters as they are. Disposing disposes the copies only.
    /// </summary>
    internal sealed class Masters : IDisposable
    {
        readonly Module _model;

        public Masters(Module model)
        {
            _model = model;
            Parameters = CreateMasters(model);
        }

        public Parameter[] Parameters { get; }

        public void Dispose() => DisposeCopies(_model, Parameters);
    }

    static Parameter[] CreateMasters(Module model)
    {
        bool[] isCast = IsCast(model, CastLayers(model));
        return [.. model.parameters().Select((p, i) => isCast[i] ? new Parameter(p.detach().clone(), p.requires_grad) : p)];
    }

    static void DisposeCopies(Module model, IReadOnlyList<Parameter> masters)
    {
        var own = new HashSet<Parameter>(model.parameters(), ReferenceEqualityComparer.Instance);
        foreach (Parameter master in masters.Where(m => !own.Contains(m))) master.Dispose();
    }

    /// <summary>Casts <paramref name="model"/> for training with <paramref name="masters"/> (<see cref="Masters.Parameters"/>), refreshed from the model's current weights.</summary>
    public static BFloat16Compute ForTraining(Module model, Parameter[] masters) => new(model, masters, ownsMasters: false);

    /// <summary>Casts <paramref name="model"/> for inference; disposing restores its exact float32 weights.</summary>
    public static BFloat16Compute ForInference(Module model) => new(model, CreateMasters(model), ownsMasters: true);

    /// <summary>The input of the cast model: bfloat16, in the layout it came in.</summary>
    public static Tensor Input(Tensor images) => images.to(ScalarType.BFloat16);

    /// <summary>Moves the bfloat16 gradients of the cast layers to their masters as float32, and clears them.</summary>
    public void GradientsToMasters()
    {
        for (int i = 0; i < _working.Length; i++)
        {
            if (!_isCast[i]) continue;
            Tensor? gradient = _working[i].grad;
            // In the master's layout: a channels-last gradient would give the optimizer's state that layout too,
            // and TorchSharp cannot save such a tensor in a checkpoint.
            _masters[i].grad = gradient is null ? null : empty_strided(_masters[i].shape, _masters[i].stride(), ScalarType.Float32).copy_(gradient);
            _working[i].grad = null;
        }
    }

    /// <summary>Copies the masters, just stepped, into the cast layers' bfloat16 weights.</summary>
    public void MastersToWorking()
    {
        using (no_grad())
        {
            for (int i = 0; i < _working.Length; i++)
            {
                if (_isCast[i]) _working[i].copy_(_masters[i]);
            }
        }
    }

    /// <summary>Float32 weights again, with the masters' exact values.</summary>
    public void Dispose()
    {
        foreach (var hook in _hooks) hook.remove();
        _hooks.Clear();
        foreach (Module layer in _cast) layer.to(ScalarType.Float32);
        Parameter[] current = [.. _model.parameters()];
        using (no_grad())
        {
            using var scope = NewDisposeScope(); // frees the copies' handles; set_ keeps their storage in the weights
            foreach (Conv2d conv in _madeChannelsLast) conv.weight!.set_(ChannelsLastLayout.Standard(conv.weight!));
            for (int i = 0; i < current.Length; i++)
            {
                if (_isCast[i]) current[i].copy_(_masters[i]);
            }
        }
        if (_ownsMasters) DisposeCopies(_model, _masters);
        _working = [];
    }

    /// <summary>
    /// Stores the bfloat16 weights of the cast 2-D convolutions channels-last, where they are not already (a
    /// <c>TrainerOptions.ChannelsLast</c> run), and returns those convolutions, whose weights <see cref="Dispose"/> makes
    /// standard again. LibTorch then runs them on channels-last input and output too (<see cref="ChannelsLastLayout"/>).
    /// </summary>
    /// <remarks>
    /// Why: on an AMD EPYC (Zen 5: avx512_bf16, no AMX) LibTorch 2.10's oneDNN 3.7 computes standard-layout (NCHW)
    /// bfloat16 convolutions wrong: <c>bash bench/bf16-conv-check.sh</c> found 46 of 108 shapes wrong, all 3x3 kernels
    /// of 2 to 32 input channels, with outputs or input gradients 12-71% off float64 (relative L2 error; bfloat16
    /// rounding alone gives 0.3%; other runs also gave NaN), and none channels-last; PyTorch 1.13's oneDNN 2.6 gets
    /// all of them right on the same CPU (docs/benchmarks-raw/bf16-conv-check-amd-epyc.txt; tests:
    /// <c>BFloat16TrainingTests</c>). The gradient test that found it had passed on the Intel CPU with AMX used before.
    /// A model with a convolution that <see cref="ChannelsLastLayout.CrashesOneDnn"/> and no guard keeps the
    /// standard layout, as it must; the guarded ones keep standard weights.
    /// </remarks>
    static Conv2d[] ToChannelsLast(Module model, Module[] cast)
    {
        (Conv2d[] guarded, (string, Conv2d)? unguarded) = ChannelsLastLayout.Survey(model);
        if (unguarded is not null) return [];
        Conv2d[] convolutions = [.. cast.OfType<Conv2d>().Where(conv => !guarded.Contains(conv) && ChannelsLastLayout.HasStandardStrides(conv.weight!))];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // frees the copies' handles; set_ keeps their storage in the weights
        foreach (Conv2d conv in convolutions) conv.weight!.set_(ChannelsLastLayout.Of(conv.weight!));
        return convolutions;
    }

    static Module[] CastLayers(Module model) =>
        [.. model.modules().Where(m => m is TorchSharp.Modules.Conv1d or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear && !KeptInFloat32(m))];

    /// <summary>
    /// Convolutions that LibTorch 2.10's oneDNN trains far slower in bfloat16 than in float32 on a CPU with BF16 units
    /// (measured with ONEDNN_VERBOSE, docs/benchmarks.md "bfloat16"): the backward pass of a strided depthwise
    /// convolution falls to a generic kernel (brgconv_strided, 50-115 ms for MobileNet's at batch 128, against about
    /// 1 ms in float32), and the weight gradient of a convolution with one input channel (the grey stem) runs 10x
    /// slower. They stay float32, their input cast up and their output cast down: both are cheap layers.
    /// </summary>
    internal static bool KeptInFloat32(Module layer) => layer is TorchSharp.Modules.Conv2d conv
        && (conv.in_channels == 1 || (conv.groups > 1 && conv.groups == conv.in_channels));

    static bool[] IsCast(Module model, Module[] cast)
    {
        var castParameters = new HashSet<Parameter>(cast.SelectMany(layer => layer.parameters()), ReferenceEqualityComparer.Instance);
        return [.. model.parameters().Select(castParameters.Contains)];
    }
}
