using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;

// Load Fashion-MNIST (found locally or downloaded), keep 5,000 training images aside for validation.
using InMemoryDataset all = FashionMnistDataset.Load(FashionMnistPart.Train);
using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test);
var split = all.SplitStratified(validationCount: 5_000, seed: 42);
using InMemoryDataset train = split.Train, validation = split.Validation;

// Train the seed CNN for a few epochs, then report on the test set once.
var trainer = new Trainer();
var options = new TrainerOptions { Epochs = 3, BatchSize = 128, Optimizer = OptimizerSettings.Adam(1e-3) };
using TrainedModel cnn = trainer.Fit(new CnnFactory(), train, validation, options);

EvaluationResult result = trainer.Evaluate(cnn.Model, test);
Console.WriteLine($"Test accuracy: {result.Accuracy:F4}");
Console.WriteLine(result.Report());
