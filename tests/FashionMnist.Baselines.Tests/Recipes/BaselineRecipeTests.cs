using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Recipes;

/// <summary>Recipes and what the library derives from them, without the data set.</summary>
public sealed class BaselineRecipeTests
{
    [Fact]
    public void A_shorter_run_keeps_the_multistep_milestones_at_the_same_fractions()
    {
        BaselineRecipe recipe = BaselineRecipes.For("wrn-16-4");
        recipe.Options.Schedule.Milestones.Should().Equal(150, 225);

        recipe.WithEpochs(10).Options.Schedule.Milestones.Should().Equal(5, 7);
        recipe.WithEpochs(10).Options.Epochs.Should().Be(10);
        recipe.WithEpochs(2).Options.Schedule.Milestones.Should().Equal([1], "milestones that collapse or reach the end are dropped");
        BaselineRecipes.For("cnn").WithEpochs(5).Options.Schedule.Should().Be(BaselineRecipes.For("cnn").Options.Schedule, "only multistep rescales");
    }

    [Fact]
    public void Augmentation_presets_pad_with_black_in_the_recipes_units()
    {
        BaselineRecipe normalised = BaselineRecipes.For("resnet-20").WithAugmentation(AugmentationPreset.CropFlip);
        BaselineRecipe raw = BaselineRecipes.For("cnn").WithAugmentation(AugmentationPreset.RandomErasing, 0.25);

        ((AugmentationPipeline)normalised.Options.Augmentation!).Transforms.OfType<RandomCrop>().Single().Fill
            .Should().BeApproximately(-0.2860f / 0.3530f, 1e-6f);
        raw.Options.Augmentation!.ToString().Should().Contain("RandomCrop(padding 4, fill 0)").And.Contain("p 0.25");
        BaselineRecipes.For("cnn").WithAugmentation(AugmentationPreset.None).Options.Augmentation.Should().BeNull();
        raw.DataOptions().Normalization.Should().BeSameAs(ImageNormalization.None, "the recipe carries its preprocessing");
    }

    [Fact]
    public void Optimizer_and_schedule_defaults_are_the_librarys()
    {
        OptimizerSettings.Default(OptimizerKind.Sgd).Should().Be(OptimizerSettings.Sgd(0.1, 0.9, 5e-4));
        OptimizerSettings.Default(OptimizerKind.Adadelta).Should().Be(OptimizerSettings.KerasAdadelta());
        ScheduleOptions.Default(ScheduleKind.MultiStep, 10).Milestones.Should().Equal(5, 7);
        ScheduleOptions.Default(ScheduleKind.Step, 9).StepSize.Should().Be(3);
    }

    [Fact]
    public void Only_a_resume_from_the_folders_own_checkpoint_counts_as_resuming_it()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolder(dir.Combine("b"));

        RecipeRunner.ResumesInto(folder, new TrainerOptions { ResumeFrom = Path.Combine(folder.Checkpoints, "last") }).Should().BeTrue();
        RecipeRunner.ResumesInto(folder, new TrainerOptions { ResumeFrom = dir.Combine("a", "checkpoints", "last") }).Should().BeFalse(
            "run a's continuation must not write into folder b, which holds run b");
        RecipeRunner.ResumesInto(folder, new TrainerOptions { ResumeFrom = dir.Combine("b2", "checkpoints", "last") }).Should().BeFalse();
        RecipeRunner.ResumesInto(folder, new TrainerOptions()).Should().BeFalse();
    }

    [Fact]
    public void A_card_naming_an_unknown_model_is_a_weights_file_problem()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("w.bin");
        File.WriteAllBytes(path, [0]);
        FluentActions.Invoking(() => ModelWeights.LoadModel(path, new ModelCard("vgg-16", new ImageShape(1, 28, 28), ["a", "b"], [0f], [1f])))
            .Should().Throw<InvalidWeightsFileException>().WithMessage("*names a model this library does not have*vgg-16*");
    }

    [Fact]
    public void A_weights_card_comes_from_the_file_beside_it_else_the_run_folder_else_the_model_named()
    {
        using var dir = new TempDirectory();
        string loose = dir.Combine("loose.bin");
        File.WriteAllBytes(loose, [0]);
        FluentActions.Invoking(() => ModelFiles.Card(loose)).Should().Throw<InvalidWeightsFileException>().WithMessage("*name the model*");
        ModelFiles.Card(loose, "wrn-16-4").Normalization.Mean.Should().Equal(ImageNormalization.FashionMnist.Mean, "the model's recipe normalisation");

        var run = new RunFolder(dir.Combine("run"));
        Directory.CreateDirectory(run.Path);
        run.WriteRecord(new RunRecord("r", "c", "resnet-20", [0.5f], [0.25f], [], 1, 1, RunEnvironment.Current()));
        File.WriteAllBytes(run.BestWeights, [0]);
        ModelCard fromRun = ModelFiles.Card(ModelFiles.WeightsPath(run.Path));
        fromRun.Model.Should().Be("resnet-20");
        fromRun.NormalizationStd.Should().Equal(0.25f);

        new ModelCard("cnn", new ImageShape(1, 28, 28), ["x", "y"], [0f], [1f]).WriteFor(run.BestWeights);
        ModelCard fromCard = ModelFiles.Card(run.BestWeights);
        fromCard.Model.Should().Be("cnn");
        fromCard.ClassNames.Should().Equal("x", "y");
        ModelFiles.Card(run.BestWeights, "resnet-20").Model.Should().Be("resnet-20", "a named model overrides the files");
    }
}
