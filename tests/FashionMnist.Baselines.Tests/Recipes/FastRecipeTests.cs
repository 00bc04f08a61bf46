using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Recipes;
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
        o.Epochs.Should().Be(20);
        o.BatchSize.Should().Be(256);
        o.Optimizer.Should().Be(OptimizerSettings.Sgd(0.2, 0.9, 5e-4, nesterov: true) with { NormAndBias = new NormAndBiasGroup(1, 0) });
        o.Schedule.Should().Be(ScheduleOptions.WarmupLinear(0.2));
        o.LabelSmoothing.Should().Be(0.2);
        o.WeightAveraging.Should().Be(new ExponentialMovingAverage(0.99, 5));
        ((AugmentationPipeline)o.Augmentation!).Transforms.Select(t => t.GetType()).Should().Equal(typeof(RandomCrop), typeof(RandomHorizontalFlip));
        o.ChannelsLast.Should().BeTrue();
        o.Precision.Should().Be(Precision.BFloat16);
        fast.FlipShiftTestTimeAugmentation.Should().BeTrue();
        BaselineRecipes.For("resnet-20").FlipShiftTestTimeAugmentation.Should().BeFalse("the published baselines are tested plain");
    }

    [Fact]
    public void Fast_and_every_resnet9_name_give_the_fast_recipe()
    {
        BaselineRecipes.For("fast").Should().Be(BaselineRecipes.Fast());
        BaselineRecipes.For(" FAST ").Should().Be(BaselineRecipes.Fast());
        BaselineRecipe wide = BaselineRecipes.For("resnet9-64");
        wide.Model.Should().Be("resnet9-64");
        wide.Should().Be(BaselineRecipes.Fast() with { Model = "resnet9-64" });
        FluentActions.Invoking(() => BaselineRecipes.For("vgg-16")).Should().Throw<ArgumentException>().WithMessage("*fast*resnet9-*");
    }
}
