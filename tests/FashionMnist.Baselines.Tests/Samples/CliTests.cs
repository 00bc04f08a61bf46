using System.Text.Json;
using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Samples;

/// <summary>The Baselines CLI as a user runs it: exit codes, run folder, evaluate and report.</summary>
public sealed class CliTests
{
    static int Run(params string[] args) => CommandLine.Run(args, CancellationToken.None);

    /// <summary>Trains into <c>run</c> under <paramref name="dir"/> on the real data, expects success, returns the run folder.</summary>
    static string Train(TempDirectory dir, params string[] args)
    {
        string run = dir.Combine("run");
        Run(["train", .. args, "--output", run, "--data-dir", RealData.Directory]).Should().Be(ExitCodes.Success);
        return run;
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("train")]
    [InlineData("train vgg-16")]
    [InlineData("models vgg-16")]
    [InlineData("train cnn --epochs 0")]
    [InlineData("train cnn --optimizer rmsprop")]
    [InlineData("train cnn --no-such-option")]
    [InlineData("train cnn --device cuda")]
    [InlineData("train cnn --precision fp16")]
    [InlineData("train cnn --test-precision half")]
    [InlineData("train cnn --augmentation crop-flip --random-erasing 0.3 --data-dir /nonexistent")] // else exit 3: checked before the data
    [InlineData("train cnn --schedule multistep --milestones 99999999999 --data-dir /nonexistent")]
    [InlineData("train fast --no-tta --flip-shift-tta --data-dir /nonexistent")]
    [InlineData("train resnet9-0")]
    [InlineData("train fast --no-ema --ema 0.9 --data-dir /nonexistent")]
    public void User_mistakes_exit_with_2(string commandLine)
    {
        Run(commandLine.Split(' ')).Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void An_unknown_model_for_existing_weights_exits_with_2()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("w.bin"), [0]);
        Run("evaluate", dir.Combine("w.bin"), "--model", "vgg-16").Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void A_missing_data_set_exits_with_3()
    {
        using var dir = new TempDirectory();
        Run("evaluate", dir.Combine("w.bin"), "--model", "cnn").Should().Be(ExitCodes.BadWeights, "the weights file is checked first");
        File.WriteAllBytes(dir.Combine("w.bin"), [0]);
        Run("evaluate", dir.Combine("w.bin"), "--model", "cnn", "--data-dir", dir.Combine("no-data")).Should().Be(ExitCodes.DataMissingOrDamaged);
    }

    [Fact]
    public void A_damaged_run_json_exits_with_4_and_names_the_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("run.json"), "{ \"Title\": ");
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        try
        {
            Run("report", dir.Path).Should().Be(ExitCodes.BadWeights);
        }
        finally
        {
            Console.SetError(original);
        }
        error.ToString().Should().Contain(dir.Combine("run.json")).And.Contain("damaged");
    }

    [RealDataFact]
    public void A_train_subset_alone_keeps_a_twelfth_for_validation_and_multistep_fits_a_short_run()
    {
        using var dir = new TempDirectory();

        // Before: --validation-size stayed 5,000 and was refused for 600 images; multistep's default milestones were
        // [1, 1] for two epochs and refused by TrainerOptions.
        string run = Train(dir, "cnn", "--epochs", "2", "--train-subset", "600", "--schedule", "multistep");

        string record = File.ReadAllText(Path.Combine(run, "run.json"));
        record.Should().Contain("\"training images\": \"550\"").And.Contain("\"validation images\": \"50\"").And.Contain("multistep(x0.1 at [1])");
    }

    /// <summary>
    /// Trains the seed CNN on <paramref name="trainSubset"/> images into <paramref name="run"/> and cancels it, as Ctrl+C
    /// would, once <paramref name="cancelWhen"/> holds; returns the exit code and what the CLI printed.
    /// </summary>
    static (int Code, string Output) TrainCancelledWhen(string run, int trainSubset, Func<bool> cancelWhen)
    {
        using var cancellation = new CancellationTokenSource();
        using var finished = new ManualResetEventSlim();
        // A thread of its own: under the whole suite the thread pool can be busy for seconds, longer than an epoch.
        var watcher = new Thread(() =>
        {
            while (!cancelWhen()) if (finished.Wait(5)) return;
            cancellation.Cancel();
        });
        watcher.Start();
        using var console = new ConsoleCapture();
        int code = CommandLine.Run(["train", "cnn", "--epochs", "50", "--train-subset", $"{trainSubset}", "--validation-size", "200",
            "--output", run, "--data-dir", RealData.Directory], cancellation.Token);
        finished.Set();
        watcher.Join();
        return (code, console.Text);
    }

    [RealDataFact]
    public void Cancellation_exits_with_130_and_keeps_the_checkpoint()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        string last = Path.Combine(run, "checkpoints", "last");

        // Once the first epoch's checkpoint exists, as Ctrl+C during epoch 2.
        (int code, string output) = TrainCancelledWhen(run, 2000, () => File.Exists(Path.Combine(last, "state.json")));

        code.Should().Be(ExitCodes.Cancelled);
        FashionMnist.Baselines.Training.TrainingCheckpoint.EpochOf(last).Should().BeGreaterThanOrEqualTo(1);
        File.Exists(Path.Combine(run, "report.md")).Should().BeFalse("a cancelled run writes no test results");
        output.Should().Contain($"resume with --resume {last}.");
    }

    [RealDataFact]
    public void Cancellation_in_the_first_epoch_says_that_there_is_no_checkpoint()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        string last = Path.Combine(run, "checkpoints", "last");

        // The run folder is made right before training starts; an epoch of 11,800 images takes about 8 s (more under
        // load). A checkpoint folder appears too, as one left from an earlier run into the same output folder would
        // be: it is not this run's, so the message must not point to it.
        (int code, string output) = TrainCancelledWhen(run, 12_000, () => Directory.Exists(run) && Directory.CreateDirectory(last).Exists);

        code.Should().Be(ExitCodes.Cancelled);
        File.Exists(Path.Combine(last, "state.json")).Should().BeFalse("no epoch ended");
        output.Should().Contain("Cancelled before the first epoch ended: there is no checkpoint to resume from.")
            .And.NotContain("--resume");
    }

    [RealDataFact]
    public void Train_writes_a_complete_run_folder_that_evaluate_and_report_use()
    {
        using var dir = new TempDirectory();

        string run = Train(dir, "cnn", "--epochs", "2", "--train-subset", "1500", "--validation-size", "300", "--optimizer", "adam", "--monitor-test");

        foreach (string file in new[] { "run.json", "history.csv", "history.json", "weights-best.bin", "weights-last.bin", "predictions-test.csv",
                     "predictions-test-final.csv", "report.md", "metrics.json", "accuracy.png", "loss.png", "confusion-matrix.png", "misclassified.png" })
        {
            File.Exists(Path.Combine(run, file)).Should().BeTrue(file);
        }
        Directory.Exists(Path.Combine(run, "checkpoints", "best")).Should().BeTrue();
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        report.Should().Contain("## Test results").And.Contain("precision    recall  f1-score   support").And.Contain("![Confusion matrix")
            .And.Contain("best per-epoch test accuracy (monitored, used for no decision)");
        File.ReadAllLines(Path.Combine(run, "predictions-test.csv")).Should().HaveCount(10_001);

        Run("evaluate", run, "--data-dir", RealData.Directory, "--predictions", dir.Combine("p.csv")).Should().Be(ExitCodes.Success);
        File.ReadAllLines(dir.Combine("p.csv")).Skip(1).Should().Equal(File.ReadAllLines(Path.Combine(run, "predictions-test.csv")).Skip(1),
            "evaluating the best weights again gives the same predictions");
        File.Delete(Path.Combine(run, "confusion-matrix.png"));
        Run("report", run, "--data-dir", RealData.Directory).Should().Be(ExitCodes.Success);
        File.Exists(Path.Combine(run, "confusion-matrix.png")).Should().BeTrue("report rebuilds the pictures");
        Run("evaluate", Path.Combine(run, "weights-best.bin"), "--model", "resnet-20", "--data-dir", RealData.Directory)
            .Should().Be(ExitCodes.BadWeights, "weights of another architecture are refused");
    }

    [RealDataFact]
    public void A_second_run_into_a_used_folder_is_refused_leaving_the_first_intact_and_overwrite_replaces_it()
    {
        using var dir = new TempDirectory();
        string run = Train(dir, "cnn", "--epochs", "1", "--train-subset", "600");
        Dictionary<string, string> before = Directory.GetFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        var error = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(error);
        try
        {
            Run("train", "cnn", "--epochs", "1", "--train-subset", "600", "--seed", "5", "--output", run, "--data-dir", RealData.Directory)
                .Should().Be(ExitCodes.Usage);
        }
        finally
        {
            Console.SetError(original);
        }

        error.ToString().Should().Contain($"{run} already holds a run").And.Contain($"--resume {Path.Combine(run, "checkpoints", "last")}")
            .And.Contain("--overwrite").And.Contain("another --output");
        Directory.GetFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            .Should().BeEquivalentTo(before, "the first run's files are untouched, byte for byte");

        Run("train", "cnn", "--epochs", "1", "--train-subset", "600", "--seed", "5", "--overwrite", "--output", run, "--data-dir", RealData.Directory)
            .Should().Be(ExitCodes.Success);
        File.ReadAllText(Path.Combine(run, "run.json")).Should().Contain("--seed 5 --overwrite");
        Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["run"], "no set-aside copy or lock file stays behind");
    }

    [RealDataFact]
    public void A_run_killed_with_SIGKILL_leaves_a_stale_lock_and_resumes_to_the_end()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        string last = Path.Combine(run, "checkpoints", "last");
        string fmb = Repository.File("samples", "Baselines", "bin", "Release", "net10.0", "fmb.dll");
        File.Exists(fmb).Should().BeTrue("the solution is built in Release before the tests run");
        using (var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet",
                   [fmb, "train", "cnn", "--epochs", "3", "--train-subset", "1200", "--validation-size", "200", "--output", run, "--data-dir", RealData.Directory])
               { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            SpinWait.SpinUntil(() => File.Exists(Path.Combine(last, "state.json")), TimeSpan.FromMinutes(3)).Should().BeTrue("the first epoch ends");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        File.Exists(dir.Combine(".run.lock")).Should().BeTrue("a killed writer cannot remove its lock file");

        Run("train", "cnn", "--epochs", "3", "--train-subset", "1200", "--validation-size", "200", "--resume", last, "--data-dir", RealData.Directory)
            .Should().Be(ExitCodes.Success, "the stale lock is taken over");
        File.Exists(Path.Combine(run, "report.md")).Should().BeTrue();
        File.Exists(dir.Combine(".run.lock")).Should().BeFalse();
    }

    [RealDataFact]
    public void A_bfloat16_run_says_which_precision_trained_and_which_tested_and_keeps_float32_weights()
    {
        using var dir = new TempDirectory();

        string run = Train(dir, "resnet-20", "--epochs", "1", "--train-subset", "600", "--precision", "bf16", "--channels-last");

        RunRecord record = new RunFolder(run).ReadRecord();
        record.Options["precision"].Should().Be("bfloat16 (float32 master weights)");
        record.Options["test precision"].Should().Be("float32");
        File.ReadAllText(Path.Combine(run, "report.md")).Should().Contain("bfloat16 (float32 master weights)");
        using FashionMnist.Baselines.Models.LoadedModel loaded = FashionMnist.Baselines.Models.ModelWeights.LoadModel(Path.Combine(run, "weights-best.bin"));
        loaded.Model.parameters().Should().OnlyContain(p => p.dtype == TorchSharp.torch.ScalarType.Float32);
        Run("evaluate", run, "--precision", "bf16", "--data-dir", RealData.Directory).Should().Be(ExitCodes.Success);
    }

    [RealDataFact]
    public void Without_a_validation_set_the_final_model_is_tested_once_and_the_plateau_watches_the_training_loss()
    {
        using var dir = new TempDirectory();

        string run = Train(dir, "cnn", "--epochs", "1", "--train-subset", "600", "--validation-size", "0");

        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        report.Should().Contain("| final |").And.NotContain("best on validation");
        report.Split("| final |").Should().HaveCount(2, "one model, tested once");
        File.ReadAllText(Path.Combine(run, "run.json")).Should().Contain("once TrainLoss has not improved");
        Directory.Exists(Path.Combine(run, "checkpoints", "best")).Should().BeFalse("nothing is selected without validation");
    }

    [RealDataFact]
    public void Flip_tta_tests_the_run_through_the_averaging_classifier_and_says_so()
    {
        using var dir = new TempDirectory();

        string run = Train(dir, "cnn-torchbn", "--epochs", "1", "--train-subset", "1000", "--validation-size", "200", "--optimizer", "adam",
            "--augmentation", "flip", "--flip-tta");

        File.ReadAllText(Path.Combine(run, "run.json")).Should().Contain("\"test-time augmentation\": \"horizontal flip");
        File.ReadAllText(Path.Combine(run, "report.md")).Should().Contain("flip-averaged");
        Run("evaluate", run, "--flip-tta", "--data-dir", RealData.Directory, "--predictions", dir.Combine("tta.csv")).Should().Be(ExitCodes.Success);
        Run("evaluate", run, "--data-dir", RealData.Directory, "--predictions", dir.Combine("plain.csv")).Should().Be(ExitCodes.Success);
        string[] recorded = File.ReadAllLines(Path.Combine(run, "predictions-test.csv"));
        File.ReadAllLines(dir.Combine("tta.csv")).Should().Equal(recorded, "the run's test predictions are the flip-averaged ones");
        File.ReadAllLines(dir.Combine("plain.csv")).Should().NotEqual(recorded, "a plain evaluation differs from the averaged one");
    }
    [RealDataFact]
    public void The_fast_recipe_pieces_reach_the_run_record_and_flip_shift_averaging_tests_the_run()
    {
        using var dir = new TempDirectory();

        string run = Train(dir, "cnn-torchbn", "--epochs", "2", "--train-subset", "1000", "--validation-size", "200", "--optimizer", "sgd", "--lr", "0.05",
            "--nesterov", "--schedule", "warmup-linear", "--warmup", "0.2", "--ema", "0.9", "--ema-every", "2", "--norm-bias-lr", "2", "--norm-bias-decay", "0",
            "--augmentation", "crop-flip", "--flip-shift-tta");

        RunRecord record = new RunFolder(run).ReadRecord();
        record.Options["schedule"].Should().Be("warmup-linear(warm-up 0.2, to 0)");
        record.Options["optimizer"].Should().EndWith("; norm and bias parameters: lr x2, weight decay 0)");
        record.Options["weight averaging"].Should().StartWith("EMA(decay 0.9 every 2 steps)");
        record.Options[RunRecord.TestTimeAugmentationOption].Should().StartWith("horizontal flip and one-pixel shifts");
        File.ReadAllText(Path.Combine(run, "report.md")).Should().Contain("flip+shift-averaged");
        Run("evaluate", run, "--flip-shift-tta", "--data-dir", RealData.Directory, "--predictions", dir.Combine("tta.csv")).Should().Be(ExitCodes.Success);
        File.ReadAllLines(dir.Combine("tta.csv")).Should().Equal(File.ReadAllLines(Path.Combine(run, "predictions-test.csv")),
            "the run's test predictions are the flip+shift-averaged ones of its selected (averaged) weights");
        Run("train", "cnn", "--ema-every", "2").Should().Be(ExitCodes.Usage);
        Run("train", "cnn", "--warmup", "0.1").Should().Be(ExitCodes.Usage, "the cnn recipe's schedule has no warm-up");
        Run("evaluate", run, "--flip-tta", "--flip-shift-tta").Should().Be(ExitCodes.Usage);
    }

    [RealDataFact]
    public void Train_fast_runs_the_fast_recipe_in_float32_too_and_tests_flip_shift_averaged_unless_told_not_to()
    {
        using var dir = new TempDirectory();

        // 1,800 training images: 7 steps of 256, so the average is updated once (at step 5).
        string run = Train(dir, "fast", "--epochs", "1", "--train-subset", "2000", "--validation-size", "200", "--precision", "fp32");

        RunRecord record = new RunFolder(run).ReadRecord();
        record.Model.Should().Be("resnet9-32");
        record.Command.Should().Contain("-- train fast --epochs 1");
        record.Options["recipe"].Should().StartWith("FashionMnist.Baselines' fast recipe");
        record.Options["batch size"].Should().Be("256");
        record.Options["optimizer"].Should().Be("SGD(lr 0.2, momentum 0.9, nesterov, weight decay 0.0005; norm and bias parameters: lr x1, weight decay 0)");
        record.Options["schedule"].Should().Be("warmup-linear(warm-up 0.2, to 0)");
        record.Options["label smoothing"].Should().Be("0.2");
        record.Options["augmentation"].Should().StartWith("RandomCrop(padding 4").And.Contain("RandomErasing(p 0.5");
        record.Options["weight averaging"].Should().StartWith("EMA(decay 0.99 every 5 steps)");
        record.Options["weights layout"].Should().StartWith("channels-last");
        record.Options["precision"].Should().Be("float32", "--precision fp32 overrides the recipe's bfloat16");
        record.Options[RunRecord.TestTimeAugmentationOption].Should().StartWith("horizontal flip and one-pixel shifts", "the recipe's figure is flip+shift-averaged");

        using var plainDir = new TempDirectory();
        string plain = Train(plainDir, "fast", "--epochs", "1", "--train-subset", "1000", "--validation-size", "200", "--precision", "fp32", "--no-tta");
        new RunFolder(plain).ReadRecord().Options[RunRecord.TestTimeAugmentationOption].Should().Be("none");
        using var noAverageDir = new TempDirectory();
        string noAverage = Train(noAverageDir, "fast", "--epochs", "1", "--train-subset", "1000", "--validation-size", "200", "--precision", "fp32", "--no-ema", "--no-tta");
        new RunFolder(noAverage).ReadRecord().Options.Should().NotContainKey("weight averaging", "--no-ema turns the recipe's average off");
    }

    /// <summary>The runs published under docs/results with their weights.</summary>
    public static TheoryData<string> PublishedRunsWithWeights() => new(
        Directory.GetDirectories(Repository.File("docs", "results"))
            .Where(run => File.Exists(Path.Combine(run, "weights-best.bin")))
            .Select(run => Path.GetFileName(run)));

    [RealDataTheory]
    [MemberData(nameof(PublishedRunsWithWeights))]
    public void Evaluate_reproduces_a_published_run_from_its_committed_weights(string name)
    {
        string published = Repository.File("docs", "results", name);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(published, "metrics.json")));
        JsonElement best = metrics.RootElement.GetProperty("test")[0];
        string runJson = File.ReadAllText(Path.Combine(published, "run.json"));
        string[] testTimeAugmentation = runJson.Contains("\"test-time augmentation\": \"horizontal flip and one-pixel shifts") ? ["--flip-shift-tta"]
            : runJson.Contains("\"test-time augmentation\": \"horizontal flip") ? ["--flip-tta"] : [];
        using var dir = new TempDirectory();

        using var console = new ConsoleCapture();
        Run(["evaluate", published, "--data-dir", RealData.Directory, "--predictions", dir.Combine("p.csv"), .. testTimeAugmentation])
            .Should().Be(ExitCodes.Success);

        // The same figures as the run's report (evaluate scores its predictions as the report scores the CSV) ...
        console.Text.Should().Contain($"accuracy {best.GetProperty("accuracy").GetDouble():F4}, log loss {best.GetProperty("logLoss").GetDouble():F4}");
        // ... because the committed weights give the committed predictions: every label, and every probability to float
        // rounding. Not to the last digit: LibTorch's CPU kernels pick their code path (and so their order of sums) by the
        // processor, and another CPU changes the 6th or 7th significant digit (seen: a CI machine of a new kind).
        using Predictions now = PredictionsCsv.Read(dir.Combine("p.csv"), FashionMnistFiles.ClassNames);
        using Predictions then = PredictionsCsv.Read(Path.Combine(published, "predictions-test.csv"), FashionMnistFiles.ClassNames);
        now.Indices.data<long>().ToArray().Should().Equal(then.Indices.data<long>().ToArray());
        now.Predicted.data<long>().ToArray().Should().Equal(then.Predicted.data<long>().ToArray(), "every label is reproduced");
        now.Probabilities.allclose(then.Probabilities, rtol: 0, atol: 1e-5).Should().BeTrue("the probabilities agree to float rounding");
    }
}
