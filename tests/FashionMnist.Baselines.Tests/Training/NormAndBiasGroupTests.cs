using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Training;

/// <summary>OptimizerSettings.NormAndBias: the parameters with fewer than two dimensions get their own rate multiple and weight decay.</summary>
public sealed class NormAndBiasGroupTests
{
    static float[] Weights(Module model) => model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [Fact]
    public void One_sgd_step_moves_each_group_by_its_own_rate_and_decay()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = Sequential(("conv", Conv2d(1, 2, 3)), ("bn", BatchNorm2d(2)), ("flatten", Flatten()), ("dense", Linear(2 * 4 * 4, 3)));
        OptimizerSettings settings = OptimizerSettings.Sgd(0.1, momentum: 0, weightDecay: 0.01) with { NormAndBias = new NormAndBiasGroup(3, 0) };
        using var optimizer = settings.Create(model.parameters());
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        // The sum of every parameter: each gradient is 1.
        model.parameters().Select(p => p.sum()).Aggregate((a, b) => a.add(b)).backward();
        optimizer.step();

        optimizer.ParamGroups.Select(g => g.LearningRate).Should().Equal(0.1, 0.1 * 3);
        foreach ((string name, Parameter after) in model.named_parameters())
        {
            Tensor old = before[name];
            // SGD with weight decay d: w - lr * (grad + d * w). The weights: lr 0.1, decay 0.01; the rest: lr 0.3, no decay.
            Tensor expected = name is "conv.weight" or "dense.weight" ? old.sub(old.mul(0.01).add(1).mul(0.1)) : old.sub(0.1 * 3);
            after.detach().allclose(expected, rtol: 0, atol: 1e-6).Should().BeTrue($"{name} takes its group's step");
        }
        model.named_parameters().Count(p => NormAndBiasGroup.Contains(p.parameter)).Should().Be(4, "conv.bias, bn.weight, bn.bias and dense.bias");
        settings.ToString().Should().Be("SGD(lr 0.1, momentum 0, weight decay 0.01; norm and bias parameters: lr x3, weight decay 0)");
    }

    [Fact]
    public void Each_group_follows_the_schedule_at_its_own_multiple_and_a_run_resumes_exactly()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(384, 5);
        using InMemoryDataset validation = SyntheticData.Bars(128, 6);
        TrainerOptions options = new()
        {
            Epochs = 3,
            BatchSize = 64,
            Optimizer = OptimizerSettings.Sgd(0.05, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(4, 0) },
            Schedule = ScheduleOptions.WarmupLinear(0.2),
            Seed = 3,
            Threads = 2,
        };
        var rates = new List<(double Weights, double NormAndBias)>();
        var probe = new CallbackProbe
        {
            OnBatch = (context, _) =>
            {
                double[] groups = context.Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
                rates.Add((groups[0], groups[1]));
            },
        };
        using TrainedModel uninterrupted = new Trainer().Fit(new CnnFactory(), train, validation, options, [probe]);

        rates.Should().HaveCount(3 * 6);
        rates.Should().OnlyContain(r => Math.Abs(r.NormAndBias - 4 * r.Weights) <= 1e-15 * r.NormAndBias);
        // Warm-up over round(0.2 * 18) = 4 steps to 0.05, then down by 0.05 / 14 a step.
        rates.Select(r => r.Weights).Should().Equal(Enumerable.Range(0, 18).Select(t => t < 4 ? 0.05 * (t + 1) / 4 : 0.05 * (18 - t) / 14),
            (a, b) => Math.Abs(a - b) <= 1e-15);
        uninterrupted.History.Epochs[0].LearningRate.Should().Be(rates[0].Weights);

        // Stopped after epoch 2 with its checkpoint, then resumed: the same figures and weights (the optimizer's two
        // groups and their momentum come back from the checkpoint).
        (Module<Tensor, Tensor> model, TrainingHistory resumed, _) = StoppedAndResumed.Run(new CnnFactory(), train, validation, options, 2, dir.Path);
        using Module<Tensor, Tensor> resumedModel = model;
        resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate))
            .Should().Equal(uninterrupted.History.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate)));
        Weights(model).Should().Equal(Weights(uninterrupted.Model));
    }

    [Fact]
    public void Bad_group_settings_name_the_option()
    {
        OptimizerSettings settings = OptimizerSettings.Sgd(0.1) with { NormAndBias = new NormAndBiasGroup(0, -1) };

        Action validate = () => new TrainerOptions { Optimizer = settings }.Validate();

        validate.Should().Throw<InvalidOptionException>()
            .WithMessage("*TrainerOptions.Optimizer.NormAndBias.LearningRateScale*> 0*")
            .WithMessage("*TrainerOptions.Optimizer.NormAndBias.WeightDecay*>= 0*");
    }
}
