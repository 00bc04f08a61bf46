using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Sweeps;

/// <summary><c>fmb compare</c> and <see cref="Leaderboard"/> on the published seed-recipe runs, whose figures are known.</summary>
public sealed class CompareTests
{
    static readonly string[] SeedRuns = [.. new[] { "cnn-seed", "cnn-seed-s1", "cnn-seed-s2", "cnn-seed-s3" }.Select(r => Repository.File("docs", "results", r))];

    // cnn-seed's run.json predates the words 'min delta', 'test-time augmentation' and 'weights layout' in run records.
    static readonly string[] Wording = ["schedule", "test-time augmentation", "weights layout"];

    [Fact]
    public void The_four_seed_recipe_runs_are_one_recipe_with_their_mean_and_sample_standard_deviation()
    {
        Leaderboard board = Leaderboard.Read(SeedRuns, Wording);

        LeaderboardRecipe recipe = board.Recipes.Should().ContainSingle().Subject;
        recipe.Name.Should().Be("cnn");
        recipe.Runs.Select(r => (r.Name, r.Seed, r.TestAccuracy)).Should().Equal(
            ("cnn-seed-s3", 3, 0.9401), ("cnn-seed-s2", 2, 0.9383), ("cnn-seed-s1", 1, 0.9382), ("cnn-seed", 0, 0.9369));
        double mean = (0.9401 + 0.9383 + 0.9382 + 0.9369) / 4;
        recipe.MeanTestAccuracy.Should().BeApproximately(mean, 1e-12);
        double sd = Math.Sqrt(new[] { 0.9401, 0.9383, 0.9382, 0.9369 }.Sum(a => (a - mean) * (a - mean)) / 3);
        recipe.StandardDeviation.Should().BeApproximately(sd, 1e-12);
        board.Runs[0].TestedModel.Should().Be("best on validation (epoch 81)");
        board.Runs.Should().OnlyContain(r => r.Epochs == 100 && r.Precision == "float32" && r.BestValidationAccuracy > 0.93);
    }

    [Fact]
    public void Compare_prints_the_expected_tables_and_writes_them_with_the_plot()
    {
        using var dir = new TempDirectory();
        using var console = new ConsoleCapture();
        var output = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(output);
        try
        {
            CommandLine.Run(["compare", .. SeedRuns, "--same-recipe-despite", string.Join(',', Wording), "--output", dir.Combine("board.md"), "--plot", dir.Combine("board.png")],
                CancellationToken.None).Should().Be(ExitCodes.Success);
        }
        finally
        {
            Console.SetOut(original);
        }

        string[] lines = output.ToString().Split('\n');
        lines[0].Should().Be("| recipe | runs | test accuracy, mean ± sd | min - max | best validation, mean | training time, mean | images/s, mean |");
        lines[2].Should().StartWith("| cnn | 4 | 0.9384 ± 0.0013 | 0.9369 - 0.9401 | ");
        lines.Should().Contain(l => l.StartsWith("| cnn-seed-s3 | cnn | 3 | 0.9401 | best on validation (epoch 81) | ", StringComparison.Ordinal));
        File.ReadAllText(dir.Combine("board.md")).Should().Be(output.ToString());
        new FileInfo(dir.Combine("board.png")).Length.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public void Different_recipes_are_named_by_the_settings_in_which_they_differ()
    {
        Leaderboard board = Leaderboard.Read([SeedRuns[3], Repository.File("docs", "results", "cnn-re-20"), Repository.File("docs", "results", "resnet20-onecycle-24")]);

        board.Recipes.Select(r => r.Name).Should().HaveCount(3).And.Contain("resnet-20");
        board.Recipes.Where(r => r.Name.StartsWith("cnn: ", StringComparison.Ordinal)).Should().HaveCount(2)
            .And.OnlyContain(r => r.Name.Contains("optimizer ", StringComparison.Ordinal) && r.Name.Contains("epochs ", StringComparison.Ordinal));
        board.Recipes.Should().OnlyContain(r => r.Runs.Count == 1 && r.StandardDeviation == null);
    }

    [Fact]
    public void Curves_over_training_time_take_the_boards_runs_and_more()
    {
        using var dir = new TempDirectory();
        using var console = new ConsoleCapture();
        string resnet = Repository.File("docs", "results", "resnet20-onecycle-24");

        CommandLine.Run(["compare", SeedRuns[3], "--curves", dir.Combine("curves.png"), "--curves-from", resnet, "--target", "0.94"], CancellationToken.None)
            .Should().Be(ExitCodes.Success);

        new FileInfo(dir.Combine("curves.png")).Length.Should().BeGreaterThan(10_000);
        CommandLine.Run(["compare", SeedRuns[3], "--curves", dir.Combine("c2.png"), "--curves-from", dir.Combine("missing")], CancellationToken.None)
            .Should().Be(ExitCodes.Usage);
        CommandLine.Run(["compare", SeedRuns[3], "--curves", dir.Combine("c3.png"), "--target", "2"], CancellationToken.None).Should().Be(ExitCodes.Usage);
        CommandLine.Run(["compare", SeedRuns[3], "--target", "0.9", "--output", dir.Combine("b.md")], CancellationToken.None).Should().Be(ExitCodes.Usage);
        File.Exists(dir.Combine("b.md")).Should().BeFalse("a mistaken option is refused before anything is written");
    }

    [Fact]
    public void A_folder_without_runs_and_a_missing_folder_are_usage_errors()
    {
        using var dir = new TempDirectory();

        CommandLine.Run(["compare", dir.Path], CancellationToken.None).Should().Be(ExitCodes.Usage);
        CommandLine.Run(["compare", dir.Combine("missing")], CancellationToken.None).Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void An_unfinished_run_is_listed_but_not_ranked()
    {
        using var dir = new TempDirectory();
        string unfinished = dir.Combine("unfinished");
        Directory.CreateDirectory(unfinished);
        File.Copy(Path.Combine(SeedRuns[3], "run.json"), Path.Combine(unfinished, "run.json"));

        Leaderboard board = Leaderboard.Read([SeedRuns[3], dir.Path]);

        board.Runs.Should().ContainSingle();
        board.Unfinished.Should().Equal(unfinished);
        board.ToMarkdown().Should().Contain("Not ranked (no metrics.json yet): unfinished.");
    }
}
