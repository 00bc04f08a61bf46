using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Training;

/// <summary>What a first-time user trips over: refused before any work, with a message that says what to do.</summary>
public sealed class ModelCompatibilityTests
{
    static readonly TrainerOptions Quick = new() { Epochs = 2, BatchSize = 32, Optimizer = OptimizerSettings.Adam(), Threads = 2 };

    /// <summary>A module that forgot RegisterComponents(): TorchSharp sees none of its layers.</summary>
    sealed class Unregistered : Module<Tensor, Tensor>
    {
        readonly Linear head = Linear(28 * 28, 10);

        public Unregistered() : base(nameof(Unregistered)) { }

        public override Tensor forward(Tensor x) => head.call(x.flatten(1));
    }

    [Fact]
    public void A_module_without_registered_parameters_is_refused_with_the_likely_cause()
    {
        using InMemoryDataset data = SyntheticData.Bars(64, 1);
        using var model = new Unregistered();

        new Trainer().Invoking(t => t.Fit(model, data, null, Quick)).Should().Throw<InvalidOptionException>()
            .WithMessage("*trainable parameters; it has none registered*RegisterComponents()*");
    }

    [Fact]
    public void An_output_width_other_than_the_class_count_is_refused_in_Fit_Evaluate_and_Predict_naming_both_numbers()
    {
        using InMemoryDataset data = SyntheticData.Bars(64, 1);
        using InMemoryDataset three = data.SelectClasses("T-shirt/top", "Trouser", "Pullover");
        using Module<Tensor, Tensor> tenWay = new CnnFactory().Create(data.ImageShape, 10);
        var trainer = new Trainer();

        trainer.Invoking(t => t.Fit(tenWay, three, null, Quick)).Should().Throw<InvalidOptionException>().WithMessage("*3 logits per image*gives [2, 10]*");
        trainer.Invoking(t => t.Evaluate(tenWay, three)).Should().Throw<InvalidOptionException>().WithMessage("*3 logits*[2, 10]*");
        trainer.Invoking(t => t.Predict(tenWay, three)).Should().Throw<InvalidOptionException>().WithMessage("*3 logits*[2, 10]*");
    }

    [Fact]
    public void Images_the_model_cannot_take_are_refused_naming_their_shape()
    {
        using var data = new InMemoryDataset(zeros([8, 1, 10, 10], ScalarType.Byte), zeros([8], ScalarType.Int64), ["a", "b"]);
        using Module<Tensor, Tensor> cnn = new CnnFactory().Create(new ImageShape(1, 28, 28), 2);

        new Trainer().Invoking(t => t.Evaluate(cnn, data)).Should().Throw<InvalidOptionException>().WithMessage("*takes the data set's images ([N, 1, 10, 10])*");
    }

    [Fact]
    public void Cancellation_is_logged_with_the_epoch_the_batch_and_the_last_checkpoint()
    {
        using var dir = new TempDirectory();
        using InMemoryDataset train = SyntheticData.Bars(128, 1);
        using InMemoryDataset validation = SyntheticData.Bars(32, 2);
        var logger = new ListLogger();
        using var cancel = new CancellationTokenSource();
        var checkpoint = new ModelCheckpoint(dir.Combine("checkpoints"));
        var cancelInSecondEpoch = new CancelAt(2, 3, cancel);

        new Trainer(logger).Invoking(t => t.Fit(new CnnFactory(), train, validation, Quick, [checkpoint, cancelInSecondEpoch], cancellationToken: cancel.Token))
            .Should().Throw<OperationCanceledException>();

        logger.Lines.Should().Contain(l => l.StartsWith("Cancelled in epoch 2, after batch 3; last checkpoint: ") && l.EndsWith("last (epoch 1)"));
        logger.Lines.Should().Contain(l => l.Contains("for 2 epochs"));
    }

    [Fact]
    public void One_epoch_is_logged_as_one_epoch()
    {
        using InMemoryDataset train = SyntheticData.Bars(64, 1);
        var logger = new ListLogger();

        using TrainedModel trained = new Trainer(logger).Fit(new CnnFactory(), train, null, Quick with { Epochs = 1 });

        logger.Lines.Should().Contain(l => l.Contains(" for 1 epoch, batch 32")).And.NotContain(l => l.Contains("1 epochs"));
    }

    [Fact]
    public void Progress_reports_elapsed_time_and_an_estimate_of_the_time_left()
    {
        using InMemoryDataset train = SyntheticData.Bars(128, 1);
        var reports = new List<TrainingProgress>();

        using TrainedModel trained = new Trainer().Fit(new CnnFactory(), train, null, Quick, progress: new Collect(reports));

        reports.Should().OnlyContain(r => r.Remaining != null && r.Elapsed > TimeSpan.Zero);
        reports[^1].Remaining.Should().Be(TimeSpan.Zero, "nothing is left after the last batch");
        reports.Select(r => r.Elapsed).Should().BeInAscendingOrder();
    }

    sealed class CancelAt(int epoch, int batch, CancellationTokenSource cancel) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingContext context, int b, double loss, long correct, int size)
        {
            if (context.Epoch == epoch && b == batch) cancel.Cancel();
        }
    }

    sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }

    sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
