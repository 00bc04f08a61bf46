using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

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
        { "TrainerOptions.Optimizer.LearningRate", new TrainerOptions { Optimizer = OptimizerOptions.Adam(-1) } },
        { "TrainerOptions.Optimizer.LearningRate", new TrainerOptions { Optimizer = OptimizerOptions.Adam(double.NaN) } },
        { "TrainerOptions.Optimizer.Momentum", new TrainerOptions { Optimizer = OptimizerOptions.Sgd(0.1, momentum: 1.0) } },
        { "TrainerOptions.Optimizer.Nesterov", new TrainerOptions { Optimizer = OptimizerOptions.Sgd(0.1, momentum: 0, nesterov: true) } },
        { "TrainerOptions.Optimizer.Rho", new TrainerOptions { Optimizer = OptimizerOptions.Adadelta(rho: 1.5) } },
        { "TrainerOptions.Schedule.Milestones", new TrainerOptions { Epochs = 10, Schedule = ScheduleOptions.MultiStep([5, 12]) } },
        { "TrainerOptions.Schedule.Milestones", new TrainerOptions { Epochs = 10, Schedule = ScheduleOptions.MultiStep([6, 3]) } },
        { "TrainerOptions.Schedule.Factor", new TrainerOptions { Schedule = ScheduleOptions.Plateau(factor: 1.2) } },
        { "TrainerOptions.Schedule.WarmupFraction", new TrainerOptions { Schedule = ScheduleOptions.OneCycle(warmupFraction: 0) } },
    };

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
    public void Default_options_are_valid()
    {
        FluentActions.Invoking(() => new TrainerOptions().Validate()).Should().NotThrow();
    }
}
