using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Augmentation;

public sealed class FlipAveragingClassifierTests
{
    /// <summary>A small classifier that is not mirror-symmetric (a dense layer sees every pixel's position).</summary>
    static Module<Tensor, Tensor> AsymmetricClassifier(int seed)
    {
        manual_seed(seed);
        return Sequential(
            ("conv", Conv2d(1, 4, 3, padding: 1)), ("bn", BatchNorm2d(4)), ("relu", ReLU()),
            ("flatten", Flatten()), ("dense", Linear(4 * 6 * 5, 3)));
    }

    [Fact]
    public void Its_probabilities_are_the_mean_of_the_image_and_its_mirror_image()
    {
        using var scope = NewDisposeScope();
        using Module<Tensor, Tensor> classifier = AsymmetricClassifier(1);
        classifier.eval();
        using var averaging = new FlipAveragingClassifier(classifier);
        Tensor images = randn(8, 1, 6, 5, generator: new TorchSharp.torch.Generator(7));
        Tensor mirrored = images.flip(3);
        // The mirror image by hand: column j of the flipped image is column 4 - j of the original.
        mirrored[TensorIndex.Ellipsis, 0].allclose(images[TensorIndex.Ellipsis, 4], rtol: 0, atol: 0).Should().BeTrue();

        using var noGrad = no_grad();
        // (No operator with a number here: TorchSharp's implicit Scalars can race the finalizer, see NoCollectionRegion.)
        Tensor expected = stack([functional.softmax(classifier.forward(images), 1), functional.softmax(classifier.forward(mirrored), 1)]).mean([0L]);
        Tensor actual = functional.softmax(averaging.forward(images), 1);

        actual.allclose(expected, rtol: 1e-5, atol: 1e-7).Should().BeTrue();
        functional.softmax(classifier.forward(images), 1).allclose(expected, atol: 1e-3).Should().BeFalse("the test model must see left from right");
        averaging.forward(images).allclose(averaging.forward(mirrored), rtol: 1e-5, atol: 1e-6).Should().BeTrue("an image and its mirror image get the same answer");
    }

    [Fact]
    public void Evaluate_reports_the_log_loss_of_the_averaged_probabilities()
    {
        using var scope = NewDisposeScope();
        using Module<Tensor, Tensor> classifier = AsymmetricClassifier(2);
        var generator = new TorchSharp.torch.Generator(3);
        using var data = new InMemoryDataset(randint(0, 256, [40, 1, 6, 5], generator: generator).to(ScalarType.Byte),
            randint(0, 3, [40], generator: generator), ["a", "b", "c"], ImageNormalization.None);
        using var averaging = new FlipAveragingClassifier(classifier);
        var trainer = new Trainer();

        EvaluationResult result = trainer.Evaluate(averaging, data, batchSize: 16);
        using Predictions predictions = trainer.Predict(averaging, data, batchSize: 16);

        result.CrossEntropy.Should().BeApproximately(predictions.LogLoss, 1e-5);
        result.Accuracy.Should().Be(predictions.Accuracy);
        predictions.Probabilities.sum(1).allclose(ones(40), atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void It_keeps_the_classifiers_mode_and_passes_mode_changes_and_parameters_through()
    {
        using Module<Tensor, Tensor> classifier = AsymmetricClassifier(3);
        classifier.eval();
        using var averaging = new FlipAveragingClassifier(classifier);
        averaging.training.Should().BeFalse();
        classifier.training.Should().BeFalse("wrapping must not switch BatchNorm back to training mode");

        averaging.train();
        classifier.training.Should().BeTrue();
        averaging.eval();
        classifier.training.Should().BeFalse();
        averaging.parameters().Should().HaveCount(classifier.parameters().Count(), "Trainer finds the device from the parameters");
        averaging.Classifier.Should().BeSameAs(classifier);
    }

    [Fact]
    public void Images_without_four_dimensions_are_refused_with_their_shape()
    {
        using Module<Tensor, Tensor> classifier = AsymmetricClassifier(4);
        using var averaging = new FlipAveragingClassifier(classifier);
        using Tensor flat = zeros(8, 30);
        averaging.Invoking(m => m.forward(flat)).Should().Throw<ArgumentException>().WithMessage("*[N, C, H, W]*[8, 30]*");
    }
}
