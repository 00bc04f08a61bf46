using static TorchSharp.torch;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// Stops training when <see cref="Monitor"/> has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs, and optionally puts back the weights of the best epoch at the end.
/// After a resume it rebuilds its state from the restored history (the best weights of epochs before the resume are
/// not in memory; load the best checkpoint for those).
/// </summary>
public sealed class EarlyStopping : ITrainingCallback, IDisposable
{
    Dictionary<string, Tensor>? _bestWeights;

    /// <summary>Creates the callback.</summary>
    public EarlyStopping(MonitoredMetric monitor = MonitoredMetric.ValidationAccuracy, int patience = 10, double minDelta = 0, bool restoreBestWeights = true)
    {
        InvalidOptionException.Check(Enum.IsDefined(monitor), "EarlyStopping.Monitor", monitor, "expected a known metric");
        InvalidOptionException.Check(patience >= 1, "EarlyStopping.Patience", patience, "expected 1 or more epochs");
        InvalidOptionException.Check(double.IsFinite(minDelta) && minDelta >= 0, "EarlyStopping.MinDelta", minDelta, "expected a finite number >= 0");
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>
    /// The watched figure; its direction (lower or higher is better) follows from it. Validation accuracy by default,
    /// as for <see cref="ModelCheckpoint"/>, so that the epoch kept and the epoch checkpointed as best are the same one.
    /// </summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether to put back the best epoch's weights when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The best epoch so far (from 1), or 0.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value so far.</summary>
    public double? BestValue { get; private set; }

    /// <summary>The epoch training was stopped after (from 1), or 0.</summary>
    public int StoppedEpoch { get; private set; }

    int _wait;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext context)
    {
        if (!context.HasValidation && Monitor != MonitoredMetric.TrainLoss)
        {
            throw new InvalidOptionException("EarlyStopping.Monitor", Monitor, "expected TrainLoss: the run has no validation set");
        }
        DisposeWeights();
        BestEpoch = 0;
        BestValue = null;
        StoppedEpoch = 0;
        _wait = 0;
        foreach (EpochRecord record in context.History.Epochs) Update(record);
        // A run resumed after it had already stopped early stops again before another epoch.
        if (context.History.Epochs.Count > 0 && _wait >= Patience) Stop(context, context.History.Epochs[^1].Epoch);
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (Update(record))
        {
            if (RestoreBestWeights) KeepWeights(context);
        }
        else if (_wait >= Patience)
        {
            Stop(context, record.Epoch);
        }
    }

    void Stop(TrainingContext context, int epoch)
    {
        StoppedEpoch = epoch;
        context.RequestStop($"{Monitor} did not improve for {Plural.Of(Patience, "epoch")} (best {BestValue:G6} in epoch {BestEpoch})");
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            context.Model.load_state_dict(_bestWeights);
        }
    }

    /// <summary>Returns true when <paramref name="record"/> is a new best.</summary>
    bool Update(EpochRecord record)
    {
        if (record.Value(Monitor) is not double value) return false;
        bool improved = Monitor.Improves(value, BestValue, MinDelta);
        if (improved)
        {
            BestValue = value;
            BestEpoch = record.Epoch;
            _wait = 0;
        }
        else
        {
            _wait++;
        }
        return improved;
    }

    void KeepWeights(TrainingContext context)
    {
        DisposeWeights();
        using var scope = NewDisposeScope();
        _bestWeights = context.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    void DisposeWeights()
    {
        if (_bestWeights is null) return;
        foreach (Tensor t in _bestWeights.Values) t.Dispose();
        _bestWeights = null;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeWeights();
}
