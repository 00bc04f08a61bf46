namespace FashionMnist.Baselines.Training;

/// <summary>
/// Computes the learning rate for every step of a run from <see cref="ScheduleOptions"/>. All schedules but the
/// plateau rule are pure functions of (epoch, step); the plateau rule keeps its state in <see cref="State"/>, which
/// checkpoints save and restore.
/// </summary>
internal sealed class LearningRateSchedule(ScheduleOptions options, double baseLearningRate, int epochs, int stepsPerEpoch)
{
    /// <summary>The plateau rule's state.</summary>
    public sealed record PlateauState(double LearningRate, double? Best, int Wait);

    public PlateauState State { get; set; } = new(baseLearningRate, null, 0);

    /// <summary>The learning rate for step <paramref name="step"/> (0-based) of epoch <paramref name="epoch"/> (0-based).</summary>
    public double At(int epoch, int step)
    {
        double t = (double)epoch * stepsPerEpoch + step;
        double total = (double)epochs * stepsPerEpoch;
        switch (options.Kind)
        {
            case ScheduleKind.Step:
                return baseLearningRate * Math.Pow(options.Gamma, epoch / options.StepSize);
            case ScheduleKind.MultiStep:
                return baseLearningRate * Math.Pow(options.Gamma, options.Milestones.Count(m => m <= epoch));
            case ScheduleKind.Cosine:
                return Anneal(baseLearningRate, options.MinLearningRate, Math.Min(1, t / Math.Max(1, total - 1)));
            case ScheduleKind.OneCycle:
            {
                // As torch.optim.lr_scheduler.OneCycleLR with div_factor 25 and final_div_factor 1e4.
                double peak = options.MaxLearningRate ?? baseLearningRate;
                double start = peak / 25, end = start / 1e4;
                double warmupEnd = Math.Max(1, options.WarmupFraction * total - 1);
                return t <= warmupEnd
                    ? Anneal(start, peak, t / warmupEnd)
                    : Anneal(peak, end, Math.Min(1, (t - warmupEnd) / Math.Max(1, total - 1 - warmupEnd)));
            }
            case ScheduleKind.WarmupLinear:
            {
                // Whole steps, so that no warm-up step overshoots the rate.
                double warmup = Math.Max(1, Math.Round(options.WarmupFraction * total));
                return t < warmup
                    ? baseLearningRate * (t + 1) / warmup
                    : options.MinLearningRate + (baseLearningRate - options.MinLearningRate) * (total - t) / Math.Max(1, total - warmup);
            }
            case ScheduleKind.Plateau or ScheduleKind.DecayWhenStalled:
                return State.LearningRate;
            default:
                return baseLearningRate;
        }
    }

    /// <summary>Updates the plateau rule with the figure of the epoch just finished.</summary>
    public void EndEpoch(EpochRecord record)
    {
        if (!options.WatchesMonitor) return;
        if (record.Value(options.Monitor) is not double value) return;
        if (options.Kind == ScheduleKind.DecayWhenStalled)
        {
            // AdvancedLearnignRateScheduler.on_epoch_end, line by line: a new best resets the counter; otherwise a
            // counter at patience first decays the rate and resets, and the counter then always grows by one.
            if (options.Monitor.Improves(value, State.Best))
            {
                State = State with { Best = value, Wait = 0 };
                return;
            }
            bool decay = State.Wait >= options.Patience;
            State = State with
            {
                LearningRate = decay ? State.LearningRate * options.Factor : State.LearningRate,
                Wait = (decay ? 0 : State.Wait) + 1,
            };
            return;
        }
        if (options.Monitor.Improves(value, State.Best, options.MinDelta))
        {
            State = State with { Best = value, Wait = 0 };
        }
        else if (State.Wait + 1 >= options.Patience)
        {
            State = State with { LearningRate = Math.Max(State.LearningRate * options.Factor, options.MinLearningRate), Wait = 0 };
        }
        else
        {
            State = State with { Wait = State.Wait + 1 };
        }
    }

    static double Anneal(double from, double to, double fraction) => to + (from - to) * (1 + Math.Cos(Math.PI * fraction)) / 2;
}
