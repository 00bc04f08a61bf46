using FashionMnist.Baselines.Training;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>Progress bars with ETA on a terminal; one line per epoch when the output is redirected.</summary>
internal static class ProgressDisplay
{
    public static T Run<T>(int epochs, Func<IProgress<TrainingProgress>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(new Reporter(report =>
            {
                if (report.Completed is EpochRecord e) Console.WriteLine(Line(e, epochs));
            }));
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask all = context.AddTask("epochs", maxValue: epochs);
                ProgressTask current = context.AddTask("epoch 1", maxValue: 1);
                return work(new Reporter(report =>
                {
                    if (report.Completed is EpochRecord e)
                    {
                        all.Value = e.Epoch;
                        all.Description = Markup.Escape(Line(e, epochs));
                        return;
                    }
                    current.MaxValue = report.Batches;
                    current.Value = report.Batch;
                    current.Description = Markup.Escape($"epoch {report.Epoch}: loss {report.Loss:F4}, acc {report.Accuracy:F4}, {report.ImagesPerSecond:F0} img/s");
                }));
            });
    }

    static string Line(EpochRecord e, int epochs) =>
        $"epoch {e.Epoch}/{epochs}: loss {e.TrainLoss:F4} acc {e.TrainAccuracy:F4}" +
        (e.ValidationAccuracy is double v ? $" | val loss {e.ValidationLoss:F4} acc {v:F4}" : "") +
        (e.MonitorAccuracy is double m ? $" | test acc {m:F4}" : "") +
        $" | lr {e.LearningRate:G3} | {e.Seconds:F0} s, {e.ImagesPerSecond:F0} img/s";

    /// <summary>Calls the handler on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
