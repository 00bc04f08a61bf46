using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Training;

// Runs every example of README's API guide on a small part of Fashion-MNIST (a few minutes on two cores).
using InMemoryDataset all = FashionMnistDataset.Load(FashionMnistPart.Train);
using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test);
using InMemoryDataset small = all.SampleStratified(3_000, seed: 0);
var split = small.SplitStratified(validationCount: 500, seed: 0);
using InMemoryDataset train = split.Train, validation = split.Validation;
string folder = Directory.CreateTempSubdirectory("fmb-guide-").FullName;

TrainingHistory own = OwnModule.Train(train, validation);
Console.WriteLine($"own module: {own.Epochs[^1]}");

using TrainedModel cnn = CancelAndResume.Run(train, validation, folder, TimeSpan.FromSeconds(5));
Console.WriteLine($"cancel and resume: {cnn.History.Epochs.Count} epochs");

Console.WriteLine(PlotsAndReports.Save(cnn, test, folder));

byte[] first = test.Images[0].flatten().data<byte>().ToArray();
var (label, probability) = SaveAndClassify.Run(cnn, first, Path.Combine(folder, "cnn.bin"));
Console.WriteLine($"test image 0: {label} {probability:P0} (true: {test.ClassNames[(int)test.Labels[0].item<long>()]})");
using (FashionMnist.Baselines.Models.LoadedModel loaded = FashionMnist.Baselines.Models.ModelWeights.LoadModel(Path.Combine(folder, "cnn.bin")))
{
    Console.WriteLine($"test image 0 through ONNX Runtime: {ExportAndDeploy.Run(loaded, first, Path.Combine(folder, "cnn.onnx"))}");
}

using InMemoryDataset footwear = OwnDataset.Footwear(all, 600);
Console.WriteLine($"footwear: {footwear.Count} images of {string.Join(", ", footwear.ClassNames)}");
Console.WriteLine($"Pictures in {folder}");
