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
                    string left = report.Remaining is TimeSpan remaining ? $", {remaining:h\\:mm\\:ss} left" : "";
                    current.Description = Markup.Escape($"epoch {report.Epoch}: loss {report.Loss:F4}, acc {report.Accuracy:F4}, {report.ImagesPerSecond:F0} img/s{left}");
                }));
            });
    }

    /// <summary>Every figure the epoch recorded, by name, so that a callback's own figure shows too.</summary>
    static string Line(EpochRecord e, int epochs) =>
        $"epoch {e.Epoch}/{epochs}: " + string.Join(", ", e.Metrics.Select(m => m.Key switch
        {
            EpochMetrics.LearningRate => $"lr {m.Value:G3}",
            EpochMetrics.Seconds => $"{m.Value:F0} s",
            EpochMetrics.ImagesPerSecond => $"{m.Value:F0} img/s",
            _ => $"{m.Key.Replace('_', ' ')} {m.Value:F4}",
        }));

    /// <summary>Calls the handler on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class Reporter(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
