using FashionMnist.Baselines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>
/// The seed CNN (Kaggle "Fashion MNIST 94% Accuracy using CNN Keras", ported in DenseAI/deep-learning-and-fashion-mnist):
/// two blocks of two 3x3 "same" convolutions with ReLU, 2x2 max pooling and dropout 0.25, then dense 128 with ReLU,
/// BatchNorm, dropout 0.5 and dense to the classes. 468,074 trainable parameters for 1x28x28 and 10 classes.
/// Keras initialisation (Glorot uniform, zero biases).
/// </summary>
public sealed class SeedCnn : Module<Tensor, Tensor>
{
    readonly Sequential features;
    readonly Sequential classifier;

    /// <summary>Creates the network for <paramref name="input"/> images (height and width divisible by 4).</summary>
    public SeedCnn(ImageShape input, int classes, BatchNormStyle batchNorm = BatchNormStyle.Keras) : base(nameof(SeedCnn))
    {
        if (input.Height % 4 != 0 || input.Width % 4 != 0)
        {
            throw new ArgumentException($"The seed CNN pools twice by 2: height and width must be divisible by 4; got {input}.", nameof(input));
        }
        (double momentum, double eps) = batchNorm.Settings();
        features = Sequential(
            ("conv1", Conv2d(input.Channels, 32, 3, padding: 1)), ("relu1", ReLU()),
            ("conv2", Conv2d(32, 32, 3, padding: 1)), ("relu2", ReLU()),
            ("pool1", MaxPool2d(2)), ("drop1", Dropout(0.25)),
            ("conv3", Conv2d(32, 64, 3, padding: 1)), ("relu3", ReLU()),
            ("conv4", Conv2d(64, 64, 3, padding: 1)), ("relu4", ReLU()),
            ("pool2", MaxPool2d(2)), ("drop2", Dropout(0.25)));
        classifier = Sequential(
            ("flatten", Flatten()),
            ("dense1", Linear(64L * (input.Height / 4) * (input.Width / 4), 128)), ("relu5", ReLU()),
            ("bn", BatchNorm1d(128, eps: eps, momentum: momentum)), ("drop3", Dropout(0.5)),
            ("dense2", Linear(128, classes)));
        RegisterComponents();
        Initialization.Keras(this);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => classifier.call(features.call(input));
}

/// <summary>Makes <see cref="SeedCnn"/> models.</summary>
/// <param name="batchNorm">BatchNorm defaults: Keras (the seed's) or PyTorch.</param>
public sealed class CnnFactory(BatchNormStyle batchNorm = BatchNormStyle.Keras) : IModelFactory
{
    /// <inheritdoc />
    public string Name => batchNorm == BatchNormStyle.Keras ? "cnn" : "cnn-torchbn";

    /// <inheritdoc />
    public string Description => $"Seed CNN: 4 conv 3x3 (32, 32, 64, 64), dense 128 + BatchNorm ({batchNorm} defaults), dropout 0.25/0.25/0.5";

    /// <summary>The BatchNorm defaults the models use.</summary>
    public BatchNormStyle BatchNorm => batchNorm;

    /// <inheritdoc />
    public Module<Tensor, Tensor> Create(ImageShape input, int classes, Device? device = null) =>
        new SeedCnn(input, ModelChecks.Classes(classes), batchNorm).to(device ?? CPU);
}
