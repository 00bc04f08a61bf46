using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// The other set of weights of a run with <see cref="ExponentialMovingAverage"/>: float32 copies of every parameter and
/// floating-point buffer of the model. During an epoch's batches it holds the average while the model trains the raw
/// weights; <see cref="Swap"/> at the epoch's end gives the model the average and keeps the raw weights here (which is
/// what a checkpoint saves beside the model), and at the next epoch's start swaps them back.
/// </summary>
internal sealed class AveragedWeights : IDisposable
{
    readonly ExponentialMovingAverage _settings;
    readonly Tensor[] _parameters;
    readonly Tensor[] _buffers;

    public AveragedWeights(Module model, ExponentialMovingAverage settings)
    {
        _settings = settings;
        using var noGrad = no_grad();
        _parameters = [.. model.parameters().Select(p => p.detach().to(ScalarType.Float32).clone())];
        _buffers = [.. FloatBuffers(model).Select(b => b.detach().clone())];
    }

    /// <summary>
    /// After optimizer step <paramref name="step"/> (counted from 1 over the whole run): when it is an update step,
    /// folds <paramref name="parameters"/> (the float32 weights the optimizer stepped, in <c>model.parameters()</c>
    /// order) and the model's buffers into the average.
    /// </summary>
    public void Update(long step, IReadOnlyList<Tensor> parameters, Module model)
    {
        if (step % _settings.EverySteps != 0) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // lerp_: average + (1 - decay) * (weights - average), which is decay * average + (1 - decay) * weights. The
        // weight is a tensor, not a number: TorchSharp's implicit Scalars can race the finalizer (NoCollectionRegion).
        Tensor weight = tensor(1 - _settings.Decay, ScalarType.Float32, device: _parameters.FirstOrDefault()?.device);
        for (int i = 0; i < _parameters.Length; i++) _parameters[i].lerp_(parameters[i].detach().to(ScalarType.Float32), weight);
        Tensor[] buffers = [.. FloatBuffers(model)];
        for (int i = 0; i < _buffers.Length; i++) _buffers[i].lerp_(buffers[i], weight);
    }

    /// <summary>Exchanges the model's weights and buffers with the ones held here, value by value.</summary>
    public void Swap(Module model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach ((Tensor own, Tensor theirs) in _parameters.Zip(model.parameters().Cast<Tensor>()).Concat(_buffers.Zip(FloatBuffers(model))))
        {
            Tensor saved = theirs.clone();
            theirs.copy_(own);
            own.copy_(saved);
        }
    }

    /// <summary>Writes everything held here to <paramref name="path"/> as float32 values (little-endian), in order.</summary>
    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        Tensor flat = cat([.. _parameters.Concat(_buffers).Select(t => t.reshape(-1))]).cpu();
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(flat.data<float>().ToArray().AsSpan()).ToArray());
    }

    /// <summary>Restores what <see cref="Save"/> wrote; the file must hold exactly this model's number of values.</summary>
    public void Load(string path)
    {
        float[] values = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
        long total = _parameters.Concat(_buffers).Sum(t => t.numel());
        if (values.LongLength != total)
        {
            throw new InvalidDataException($"{path} holds {values.LongLength} averaged-weight values; this model needs {total}.");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor flat = tensor(values);
        long offset = 0;
        foreach (Tensor t in _parameters.Concat(_buffers))
        {
            t.copy_(flat.narrow(0, offset, t.numel()).view(t.shape));
            offset += t.numel();
        }
    }

    public void Dispose()
    {
        foreach (Tensor t in _parameters.Concat(_buffers)) t.Dispose();
    }

    // Integer buffers (BatchNorm's num_batches_tracked) count, they are not averaged: the model keeps its own.
    static IEnumerable<Tensor> FloatBuffers(Module model) => model.buffers().Where(b => b.is_floating_point());
}
