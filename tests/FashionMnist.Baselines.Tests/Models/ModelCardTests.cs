using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Models;

/// <summary>Weights that describe themselves, and a loaded model that is ready for use.</summary>
public sealed class ModelCardTests
{
    [Fact]
    public void LoadModel_builds_the_model_its_card_names_in_evaluation_mode_and_a_forward_pass_leaves_it_unchanged()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("w.bin");
        var card = new ModelCard("cnn", new ImageShape(1, 28, 28), ["a", "b", "c"], [0f], [1f]);
        using (Module<Tensor, Tensor> saved = new CnnFactory().Create(card.Input, 3))
        {
            ModelWeights.Save(saved, path, card);
        }

        using LoadedModel loaded = ModelWeights.LoadModel(path);

        loaded.Card.Should().BeEquivalentTo(card);
        loaded.Model.training.Should().BeFalse("a model loaded for use predicts in evaluation mode");
        Tensor[] before = loaded.Model.state_dict().Values.Select(t => t.clone()).ToArray();
        using (no_grad()) loaded.Model.call(rand(4, 1, 28, 28)).Dispose();
        loaded.Model.state_dict().Values.Zip(before).Should().OnlyContain(p => p.First.allclose(p.Second, 0, 0, false), "BatchNorm's statistics stay put");
    }

    [Fact]
    public void Weights_without_a_card_need_one_passed_in_and_say_so()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("old.bin");
        using (Module<Tensor, Tensor> saved = new CnnFactory().Create(new ImageShape(1, 28, 28), 10))
        {
            ModelWeights.Save(saved, path);
        }

        FluentActions.Invoking(() => ModelWeights.LoadModel(path)).Should().Throw<InvalidWeightsFileException>().WithMessage("*no model card*");
        using LoadedModel loaded = ModelWeights.LoadModel(path, new ModelCard("cnn", new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames, [0f], [1f]));
        loaded.Model.training.Should().BeFalse();
    }
}
