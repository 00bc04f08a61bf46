using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Training;

public sealed class LearningRateScheduleTests
{
    static EpochRecord Accuracy(int n, double validationAccuracy) =>
        new(n, new Dictionary<string, double> { [EpochMetrics.TrainLoss] = 1, [EpochMetrics.ValidationAccuracy] = validationAccuracy });

    /// <summary>
    /// The seed's AdvancedLearnignRateScheduler (patience 3, x0.5 here, so the table is easy to check by hand), driven
    /// by fixed validation accuracies. After each epoch: a strictly better value resets the counter; otherwise, when
    /// the counter has reached 3, the rate halves and the counter resets; then the counter grows by one.
    /// </summary>
    [Fact]
    public void Decay_when_stalled_follows_the_seeds_rule_epoch_by_epoch()
    {
        var schedule = new LearningRateSchedule(ScheduleOptions.DecayWhenStalled(0.5, 3), 1.0, 16, 10);
        double[] accuracy = [0.50, 0.60, 0.60, 0.55, 0.59, 0.60, 0.58, 0.61, 0.60, 0.60, 0.60, 0.60, 0.60, 0.60, 0.60];
        //   epoch:           1     2     3     4     5     6     7     8     9     10    11    12    13    14    15
        //   counter after:   0     0     1     2     3     1*    2     0     1     2     3     1*    2     3     1*     (* = halved)

        var rates = new List<double> { schedule.At(0, 0) };
        for (int e = 0; e < accuracy.Length; e++)
        {
            schedule.EndEpoch(Accuracy(e + 1, accuracy[e]));
            rates.Add(schedule.At(e + 1, 0));
        }

        // The rate of epochs 1 to 16.
        rates.Should().Equal(1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125);
    }

    [Fact]
    public void Keras_plateau_on_the_same_figures_reduces_one_epoch_earlier_which_is_why_the_seed_recipe_has_its_own_rule()
    {
        var plateau = new LearningRateSchedule(ScheduleOptions.Plateau(0.5, 3, MonitoredMetric.ValidationAccuracy) with { MinDelta = 0 }, 1.0, 16, 10);
        double[] accuracy = [0.50, 0.60, 0.60, 0.55, 0.59, 0.60];
        var rates = new List<double> { plateau.At(0, 0) };
        for (int e = 0; e < accuracy.Length; e++)
        {
            plateau.EndEpoch(Accuracy(e + 1, accuracy[e]));
            rates.Add(plateau.At(e + 1, 0));
        }

        rates.Should().Equal([1.0, 1, 1, 1, 1, 0.5, 0.5], "ReduceLROnPlateau counts first and halves at the third stalled epoch (epoch 5)");
        FashionMnist.Baselines.Recipes.BaselineRecipes.For("cnn").Options.Schedule.Should().Be(ScheduleOptions.DecayWhenStalled(0.9, 10, MonitoredMetric.ValidationAccuracy));
    }

    static EpochRecord Epoch(int n, double validationLoss) =>
        new(n, new Dictionary<string, double> { [EpochMetrics.TrainLoss] = 1, [EpochMetrics.ValidationLoss] = validationLoss, [EpochMetrics.ValidationAccuracy] = 0.5 });

    [Fact]
    public void Step_and_multistep_multiply_by_gamma_at_their_epochs()
    {
        var step = new LearningRateSchedule(ScheduleOptions.Step(2, 0.5), 1.0, 6, 10);
        var multi = new LearningRateSchedule(ScheduleOptions.MultiStep([150, 225]), 0.1, 300, 10);

        Enumerable.Range(0, 6).Select(e => step.At(e, 3)).Should().Equal(1, 1, 0.5, 0.5, 0.25, 0.25);
        multi.At(149, 9).Should().Be(0.1);
        multi.At(150, 0).Should().BeApproximately(0.01, 1e-15);
        multi.At(225, 0).Should().BeApproximately(0.001, 1e-15);
    }

    [Fact]
    public void Cosine_goes_from_the_rate_to_the_minimum()
    {
        var cosine = new LearningRateSchedule(ScheduleOptions.Cosine(0.01), 1.0, 2, 50);

        cosine.At(0, 0).Should().Be(1.0);
        cosine.At(1, 49).Should().BeApproximately(0.01, 1e-12);
        cosine.At(0, 49).Should().BeApproximately(0.505, 0.02);
        // Interior steps against PyTorch 1.13's CosineAnnealingLR(T_max 99, eta_min 0.01) stepped per batch: a linear
        // decay would pass the three checks above but not these.
        cosine.At(0, 24).Should().BeApproximately(0.8632483488620096, 1e-9);
        cosine.At(0, 49).Should().BeApproximately(0.5128536520982301, 1e-9);
        cosine.At(1, 25).Should().BeApproximately(0.14675165113799024, 1e-9);
    }

    [Fact]
    public void One_cycle_warms_up_to_the_peak_then_anneals_far_below_the_start()
    {
        var oneCycle = new LearningRateSchedule(ScheduleOptions.OneCycle(0.4, 0.25), 0.1, 4, 100);
        double[] rates = Enumerable.Range(0, 400).Select(t => oneCycle.At(t / 100, t % 100)).ToArray();

        rates[0].Should().BeApproximately(0.4 / 25, 1e-12);
        rates.Max().Should().BeApproximately(0.4, 1e-9);
        Array.IndexOf(rates, rates.Max()).Should().BeInRange(98, 100);
        rates[^1].Should().BeApproximately(0.4 / 25 / 1e4, 1e-12);
        // Interior steps against PyTorch 1.13's OneCycleLR(max_lr 0.4, total_steps 400, pct_start 0.25), whose
        // cosine warm-up and anneal a linear one would miss.
        rates[25].Should().BeApproximately(0.07331682156038632, 1e-9);
        rates[50].Should().BeApproximately(0.21104626505628316, 1e-9);
        rates[150].Should().BeApproximately(0.37214851680716715, 1e-9);
        rates[250].Should().BeApproximately(0.1979064515541782, 1e-9);
    }

    [Fact]
    public void Plateau_multiplies_after_patience_epochs_without_a_new_best_and_waits_again()
    {
        var plateau = new LearningRateSchedule(ScheduleOptions.Plateau(0.9, 2), 1.0, 10, 10);

        double[] losses = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5];
        var rates = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            plateau.EndEpoch(Epoch(e + 1, losses[e]));
            rates.Add(plateau.At(e + 1, 0));
        }

        rates.Should().Equal(1.0, 1.0, 1.0, 0.9, 0.9, 0.9 * 0.9, 0.9 * 0.9);
    }

    /// <summary>4 epochs of 100 steps, warm-up 0.1 (40 steps), rate 0.2, floor 0.02: every step by the formula of ScheduleKind.WarmupLinear.</summary>
    [Fact]
    public void Warmup_linear_climbs_in_a_straight_line_then_falls_in_one_to_the_floor()
    {
        var schedule = new LearningRateSchedule(ScheduleOptions.WarmupLinear(0.1, 0.02), 0.2, 4, 100);
        double[] rates = Enumerable.Range(0, 400).Select(t => schedule.At(t / 100, t % 100)).ToArray();

        rates[0].Should().BeApproximately(0.2 / 40, 1e-12, "the first step gets 1/40 of the rate");
        rates[19].Should().BeApproximately(0.2 * 20 / 40, 1e-12);
        rates[39].Should().BeApproximately(0.2, 1e-12, "the warm-up ends at the rate");
        rates[40].Should().BeApproximately(0.2, 1e-12);
        rates[220].Should().BeApproximately(0.02 + 0.18 * 180 / 360, 1e-12, "halfway down the decay");
        rates[399].Should().BeApproximately(0.02 + 0.18 / 360, 1e-12, "one step short of the floor");
        rates.Take(40).Zip(rates.Skip(1).Take(39)).Should().OnlyContain(pair => pair.Second > pair.First, "rising through the warm-up");
        rates.Skip(40).Zip(rates.Skip(41)).Should().OnlyContain(pair => pair.Second < pair.First, "falling after it");
        ScheduleOptions.Default(ScheduleKind.WarmupLinear, 4).Should().Be(ScheduleOptions.WarmupLinear());
        ScheduleOptions.WarmupLinear(0.1, 0.02).ToString().Should().Be("warmup-linear(warm-up 0.1, to 0.02)");
    }
}
