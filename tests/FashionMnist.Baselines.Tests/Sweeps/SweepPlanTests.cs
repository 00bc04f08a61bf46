using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Cli.Sweeps;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Sweeps;

/// <summary>How a sweep file expands into trials, and which files are refused (docs/sweeps.md).</summary>
public sealed class SweepPlanTests
{
    static SweepPlan Plan(TempDirectory dir, string text, string file = "sweep.yaml")
    {
        string path = dir.Combine(file);
        File.WriteAllText(path, text);
        return SweepPlan.Create(SweepFile.Read(path));
    }

    static string[] Describe(SweepPlan plan) => [.. plan.Trials.Select(t => $"{t.Index} {t.Name}: {t.CommandLine}")];

    [Fact]
    public void A_grid_is_crossed_in_file_order_the_last_key_fastest_then_each_seed()
    {
        using var dir = new TempDirectory();
        SweepPlan plan = Plan(dir, """
            name: grid
            model: cnn
            options: { epochs: 3, monitor-test: true }
            grid:
              lr: [0.5, 1.0]
              batch-size: [64, 128]
            seeds: [7, 8]
            """);

        Describe(plan).Should().Equal(
            "0 lr-0.5_batch-size-64_seed-7: --epochs 3 --monitor-test --lr 0.5 --batch-size 64 --seed 7",
            "1 lr-0.5_batch-size-64_seed-8: --epochs 3 --monitor-test --lr 0.5 --batch-size 64 --seed 8",
            "2 lr-0.5_batch-size-128_seed-7: --epochs 3 --monitor-test --lr 0.5 --batch-size 128 --seed 7",
            "3 lr-0.5_batch-size-128_seed-8: --epochs 3 --monitor-test --lr 0.5 --batch-size 128 --seed 8",
            "4 lr-1.0_batch-size-64_seed-7: --epochs 3 --monitor-test --lr 1.0 --batch-size 64 --seed 7",
            "5 lr-1.0_batch-size-64_seed-8: --epochs 3 --monitor-test --lr 1.0 --batch-size 64 --seed 8",
            "6 lr-1.0_batch-size-128_seed-7: --epochs 3 --monitor-test --lr 1.0 --batch-size 128 --seed 7",
            "7 lr-1.0_batch-size-128_seed-8: --epochs 3 --monitor-test --lr 1.0 --batch-size 128 --seed 8");
        plan.Root.Should().Be(Path.GetFullPath(Path.Combine("runs", "grid")));
        plan.FolderOf(plan.Trials[3]).Should().Be(Path.Combine(plan.Root, "lr-0.5_batch-size-128_seed-8"));
    }

    [Fact]
    public void A_list_of_trials_replaces_the_base_options_and_is_crossed_with_the_grid_and_named_by_its_options_or_its_name()
    {
        using var dir = new TempDirectory();
        SweepPlan plan = Plan(dir, """
            name: list
            model: resnet-20
            root: somewhere/else
            options: { epochs: 24, lr: 0.1, channels-last: true }
            trials:
              - { optimizer: adam, lr: 0.001 }
              - { name: plain, channels-last: false }
            grid:
              schedule: [cosine, onecycle]
            """);

        Describe(plan).Should().Equal(
            "0 optimizer-adam_lr-0.001_schedule-cosine: --epochs 24 --lr 0.001 --channels-last --optimizer adam --schedule cosine",
            "1 optimizer-adam_lr-0.001_schedule-onecycle: --epochs 24 --lr 0.001 --channels-last --optimizer adam --schedule onecycle",
            "2 plain_schedule-cosine: --epochs 24 --lr 0.1 --schedule cosine",
            "3 plain_schedule-onecycle: --epochs 24 --lr 0.1 --schedule onecycle");
        plan.Root.Should().Be(Path.GetFullPath("somewhere/else"));
    }

    [Fact]
    public void A_json_file_is_read_too_and_milestones_take_a_list()
    {
        using var dir = new TempDirectory();
        SweepPlan plan = Plan(dir, """{ "name": "json", "model": "cnn", "options": { "schedule": "multistep", "milestones": [2, 4], "epochs": 5 } }""", "sweep.json");

        Describe(plan).Should().Equal("0 trial: --schedule multistep --milestones 2,4 --epochs 5");
        SweepPlan.Create(plan.File, dir.Combine("root")).Root.Should().Be(dir.Combine("root"), "--root replaces the file's root");
    }

    [Theory]
    [InlineData("name: x\nmodel: cnn\nsedes: [1]", "unknown key 'sedes' in the sweep")]
    [InlineData("name: x\nmodel: cnn\noptions: { learning-rate: 0.1 }", "unknown option 'learning-rate' in options")]
    [InlineData("name: x\nmodel: cnn\ngrid: { lr: [] }", "grid.lr is an empty list")]
    [InlineData("name: x\nmodel: cnn\nseeds: []", "seeds is an empty list")]
    [InlineData("name: x\nmodel: cnn\ntrials: []", "trials is an empty list")]
    [InlineData("name: x\nmodel: cnn\noptions: { output: /tmp/y }", "sets 'output', which the sweep sets for each trial itself")]
    [InlineData("name: x\nmodel: cnn\ngrid: { overwrite: [true] }", "sets 'overwrite'")]
    [InlineData("name: x\nmodel: cnn\noptions: { nesterov: yes please }", "options.nesterov is a flag: true or false")]
    [InlineData("name: x\nmodel: cnn\ngrid: { optimizer: [sgd, rmsprop] }", "trial 1 (optimizer-rmsprop): --optimizer rmsprop: expected one of")]
    [InlineData("name: x\nmodel: cnn\noptions: { epochs: 0 }", "trial 0 (trial): --epochs")]
    [InlineData("name: x\nmodel: vgg-16", "vgg-16")]
    [InlineData("name: x\nmodel: cnn\noptions: { seed: 1 }\nseeds: [1, 2]", "seeds and a seed option both set the seed")]
    [InlineData("name: x\nmodel: cnn\nseeds: [1, 1]", "seeds lists a seed twice")]
    [InlineData("name: x\nmodel: cnn\ntrials: [ { name: a, lr: 0.1 }, { name: a, lr: 0.2 } ]", "trials 0 and 1 would both be named 'a'")]
    [InlineData("name: Not_A_Job\nmodel: cnn", "name 'Not_A_Job': use lower-case letters")]
    [InlineData("model: cnn", "needs a name")]
    [InlineData("name: x\nmodel: cnn\ngrid: { lr: [0.1, 0.2", "is not valid YAML or JSON")]
    [InlineData("- just\n- a list", "must hold one mapping")]
    public void A_mistake_is_refused_with_the_file_and_what_is_wrong(string text, string expected)
    {
        using var dir = new TempDirectory();

        Action plan = () => Plan(dir, text);

        plan.Should().Throw<UsageException>().Which.Message.Should().Contain(expected).And.Contain(dir.Combine("sweep.yaml"));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        Action read = () => SweepFile.Read("/nonexistent/sweep.yaml");

        read.Should().Throw<UsageException>().WithMessage("*/nonexistent/sweep.yaml does not exist*");
    }

    [Fact]
    public void The_example_sweeps_of_the_repository_plan()
    {
        string[] files = Directory.GetFiles(Repository.File("sweeps"), "*.yaml");
        files.Should().Contain(f => Path.GetFileName(f) == "cnn-seed-recipe.yaml");
        foreach (string file in files) SweepPlan.Create(SweepFile.Read(file)).Trials.Should().NotBeEmpty(file);
        Describe(SweepPlan.Create(SweepFile.Read(Repository.File("sweeps", "cnn-seed-recipe.yaml")))).Should().Equal(
            "0 seed-0: --monitor-test --seed 0", "1 seed-1: --monitor-test --seed 1", "2 seed-2: --monitor-test --seed 2", "3 seed-3: --monitor-test --seed 3");
    }
}
