using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

using FashionMnist.Baselines.Tests.Support;

namespace FashionMnist.Baselines.Tests.Training;

public sealed class TrainerOptionsTests
{
    public static TheoryData<string, TrainerOptions> Invalid => new()
    {
        { "TrainerOptions.Epochs", new TrainerOptions { Epochs = 0 } },
        { "TrainerOptions.BatchSize", new TrainerOptions { BatchSize = 0 } },
        { "TrainerOptions.LabelSmoothing", new TrainerOptions { LabelSmoothing = 1.0 } },
        { "TrainerOptions.GradientClipNorm", new TrainerOptions { GradientClipNorm = -1 } },
        { "TrainerOptions.Threads", new TrainerOptions { Threads = 0 } },
        { "TrainerOptions.ResumeFrom", new TrainerOptions { ResumeFrom = "/no/such/checkpoint" } },
        { "TrainerOptions.Optimizer.LearningRate", new TrainerOptions { Optimizer = OptimizerSettings.Adam(-1) } },
        { "TrainerOptions.Optimizer.LearningRate", new TrainerOptions { Optimizer = OptimizerSettings.Adam(double.NaN) } },
        { "TrainerOptions.Optimizer.Momentum", new TrainerOptions { Optimizer = OptimizerSettings.Sgd(0.1, momentum: 1.0) } },
        { "TrainerOptions.Optimizer.Nesterov", new TrainerOptions { Optimizer = OptimizerSettings.Sgd(0.1, momentum: 0, nesterov: true) } },
        { "TrainerOptions.Optimizer.Rho", new TrainerOptions { Optimizer = OptimizerSettings.Adadelta(rho: 1.5) } },
        { "TrainerOptions.Schedule.Milestones", new TrainerOptions { Epochs = 10, Schedule = ScheduleOptions.MultiStep([5, 12]) } },
        { "TrainerOptions.Schedule.Milestones", new TrainerOptions { Epochs = 10, Schedule = ScheduleOptions.MultiStep([6, 3]) } },
        { "TrainerOptions.Schedule.Factor", new TrainerOptions { Schedule = ScheduleOptions.Plateau(factor: 1.2) } },
        { "TrainerOptions.Schedule.WarmupFraction", new TrainerOptions { Schedule = ScheduleOptions.OneCycle(warmupFraction: 0) } },
    };

    [Fact]
    public void Every_invalid_option_of_one_call_is_reported_together_with_its_allowed_range()
    {
        var options = new TrainerOptions { Epochs = 0, BatchSize = -1, Optimizer = OptimizerSettings.Sgd(-0.1, momentum: 2), LabelSmoothing = 1 };

        InvalidOptionException e = options.Invoking(o => o.Validate()).Should().Throw<InvalidOptionException>().Which;

        e.Errors.Select(x => x.Option).Should().Equal("TrainerOptions.Epochs", "TrainerOptions.BatchSize", "TrainerOptions.Optimizer.LearningRate",
            "TrainerOptions.Optimizer.Momentum", "TrainerOptions.LabelSmoothing");
        e.Message.Should().StartWith("5 options are invalid: TrainerOptions.Epochs = 0 is invalid: expected 1 or more.")
            .And.Contain("TrainerOptions.Optimizer.Momentum = 2 is invalid: expected 0 <= momentum < 1.");
        e.Option.Should().Be("TrainerOptions.Epochs", "the first one, as before");
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_rejected_by_name_before_any_training(string option, TrainerOptions options)
    {
        using InMemoryDataset data = SyntheticData.Bars(32, 1);
        using Module<Tensor, Tensor> model = new CnnFactory().Create(data.ImageShape, 10);
        float[] before = model.parameters().First().data<float>().ToArray();

        var act = () => new Trainer().Fit(model, data, null, options);

        act.Should().Throw<InvalidOptionException>().Where(e => e.Option == option)
            .WithMessage($"{option} = * is invalid: expected *");
        model.parameters().First().data<float>().ToArray().Should().Equal(before, "nothing was trained");
    }

    [Fact]
    public void Options_that_do_not_fit_the_data_are_rejected_before_any_training()
    {
        using InMemoryDataset data = SyntheticData.Bars(32, 1);
        var trainer = new Trainer();

        FluentActions.Invoking(() => trainer.Fit(new CnnFactory(), data, null, new TrainerOptions { BatchSize = 64, DropLastBatch = true }))
            .Should().Throw<InvalidOptionException>().Where(e => e.Option == "TrainerOptions.BatchSize").WithMessage("*at most 32*");
        FluentActions.Invoking(() => trainer.Fit(new CnnFactory(), data, null, new TrainerOptions { Schedule = ScheduleOptions.Plateau() }))
            .Should().Throw<InvalidOptionException>().Where(e => e.Option == "TrainerOptions.Schedule.Monitor");
        using var stopping = new EarlyStopping(MonitoredMetric.ValidationAccuracy);
        FluentActions.Invoking(() => trainer.Fit(new CnnFactory(), data, null, new TrainerOptions { Epochs = 1 }, [stopping]))
            .Should().Throw<InvalidOptionException>().Where(e => e.Option == "EarlyStopping.Monitor");
    }

    [Fact]
    public void A_resume_with_other_settings_is_rejected_naming_the_setting()
    {
        using var dir = new FashionMnist.Baselines.Tests.Support.TempDirectory();
        using InMemoryDataset data = SyntheticData.Bars(64, 2);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32 };
        var checkpoint = new ModelCheckpoint(dir.Combine("c"));
        new Trainer().Fit(new CnnFactory(), data, data, options, [checkpoint]).Dispose();

        var act = () => new Trainer().Fit(new CnnFactory(), data, data, options with { Seed = 9, ResumeFrom = checkpoint.LastDirectory });

        act.Should().Throw<InvalidOptionException>().Where(e => e.Option == "TrainerOptions.ResumeFrom").WithMessage("*same Seed: it has 0, this run has 9*");
    }

    [Fact]
    public void NaN_never_counts_as_an_improvement()
    {
        MonitoredMetric.ValidationLoss.Improves(double.NaN, null).Should().BeFalse();
        MonitoredMetric.ValidationLoss.Improves(0.5, null).Should().BeTrue();
        MonitoredMetric.ValidationAccuracy.Improves(0.9, 0.8, 0.05).Should().BeTrue();
        MonitoredMetric.ValidationAccuracy.Improves(0.84, 0.8, 0.05).Should().BeFalse();
    }

    [Fact]
    public void Default_options_are_valid()
    {
        FluentActions.Invoking(() => new TrainerOptions().Validate()).Should().NotThrow();
    }
}
