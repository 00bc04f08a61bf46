using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Recipes;

/// <summary>The fast recipe is what its documentation says, and reachable by its name and its model's.</summary>
public sealed class FastRecipeTests
{
    [Fact]
    public void The_fast_recipe_is_resnet9_32_with_its_ingredients()
    {
        BaselineRecipe fast = BaselineRecipes.Fast();
        TrainerOptions o = fast.Options;

        fast.Model.Should().Be("resnet9-32");
        fast.Normalization.Should().Be(ImageNormalization.FashionMnist);
        o.Epochs.Should().Be(48);
        o.BatchSize.Should().Be(256);
        o.Optimizer.Should().Be(OptimizerSettings.Sgd(0.2, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(1, 0) });
        o.Schedule.Should().Be(ScheduleOptions.WarmupLinear(0.2));
        o.LabelSmoothing.Should().Be(0.2);
        o.WeightAveraging.Should().Be(new ExponentialMovingAverage(0.99, 5));
        ((AugmentationPipeline)o.Augmentation!).Transforms.Select(t => t.GetType()).Should().Equal(typeof(RandomCrop), typeof(RandomHorizontalFlip), typeof(RandomErasing));
        o.Augmentation!.ToString().Should().Be(AugmentationPipeline.RandomErasingRecipe(ImageNormalization.FashionMnist).ToString(), "the Random Erasing recipe's crop, flip and erasing");
        o.ChannelsLast.Should().BeTrue();
        o.Precision.Should().Be(Precision.BFloat16);
        fast.FlipShiftTestTimeAugmentation.Should().BeTrue();
        BaselineRecipes.For("resnet-20").FlipShiftTestTimeAugmentation.Should().BeFalse("the published baselines are tested plain");
    }

    [Fact]
    public void Fast_and_every_resnet9_name_give_the_fast_recipe()
    {
        // Augmentation pipelines compare by reference: compare the rest by value and the pipelines by their description.
        static BaselineRecipe Plain(BaselineRecipe r) => r with { Options = r.Options with { Augmentation = null } };
        BaselineRecipe fast = BaselineRecipes.Fast();
        foreach (string name in new[] { "fast", " FAST ", "resnet9-32" })
        {
            Plain(BaselineRecipes.For(name)).Should().Be(Plain(fast), name);
            BaselineRecipes.For(name).Options.Augmentation!.ToString().Should().Be(fast.Options.Augmentation!.ToString());
        }
        BaselineRecipe wide = BaselineRecipes.For("resnet9-64");
        Plain(wide).Should().Be(Plain(fast) with { Model = "resnet9-64", Source = wide.Source });
        wide.Source.Should().Contain("resnet9-64").And.Contain("resnet9-32's", "the figure belongs to the fast recipe's own model");
        FluentActions.Invoking(() => BaselineRecipes.For("vgg-16")).Should().Throw<ArgumentException>().WithMessage("*fast*resnet9-*");
    }

    [RealDataFact]
    public void The_readme_line_runs_the_recipe()
    {
        File.ReadAllText(Repository.File("README.md")).Should().Contain(
            """RunSummary run = new RecipeRunner().Run(BaselineRecipes.Fast(), new RunSettings(), new RunFolder("runs/fast"));""");
        using var dir = new TempDirectory();
        // The same line, shortened: one epoch on 1,000 images, in float32 (the recipe must run without BF16 units too),
        // tested plain (the six-view test of `fmb train fast` is CliTests' and costs minutes on two cores).
        BaselineRecipe shortened = BaselineRecipes.Fast().WithEpochs(1) with { FlipShiftTestTimeAugmentation = false };
        shortened = shortened with { Options = shortened.Options with { Precision = Precision.Float32 } };

        RunSummary run = new RecipeRunner().Run(shortened, new RunSettings { TrainSubset = 1000, ValidationSize = 200, Data = RealData.Options },
            new RunFolder(dir.Combine("fast")));

        run.Title.Should().Be("resnet9-32");
        run.Options["weight averaging"].Should().StartWith("EMA(decay 0.99 every 5 steps)");
        run.Options[RunRecord.TestTimeAugmentationOption].Should().Be("none", "the recipe's averaging was turned off");
        run.Test.Should().HaveCount(2);
        run.Test.Should().OnlyContain(card => card.Count == 10_000, "the whole test set, once per tested model");
    }
}
