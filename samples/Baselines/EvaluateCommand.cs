using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Spectre.Console;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>evaluate &lt;weights&gt;</c>: the classification report of saved weights on the test set, and optionally the
/// predictions as CSV. In a run folder the model and normalisation come from run.json; elsewhere give --model.
/// </summary>
internal static class EvaluateCommand
{
    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["model", "predictions", "data-dir", "normalization", "batch-size"], ["flip-tta"]);
        if (a.Positional.Count != 1) throw new UsageException("evaluate needs one weights file, such as: evaluate runs/cnn/weights-best.bin");
        string weights = a.Positional[0];
        if (Directory.Exists(weights)) weights = new RunFolder(weights).BestWeights;
        if (!File.Exists(weights)) throw new FileNotFoundException($"The weights file {weights} does not exist.", weights);

        RunRecord? record = FindRunRecord(weights);
        string model = a.String("model") ?? record?.Model
            ?? throw new UsageException("--model is needed when the weights are not in a run folder (for example --model cnn).");
        ImageNormalization normalization = a.String("normalization") switch
        {
            null => record?.Normalization ?? RecipeNormalization(model),
            "fashion" => ImageNormalization.FashionMnist,
            "none" => ImageNormalization.None,
            string other => throw new UsageException($"--normalization {other}: expected fashion or none."),
        };
        IModelFactory factory = ModelName.Resolve(model);

        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test,
            a.DataOptions(normalization), cancellationToken);
        using Module<Tensor, Tensor> network = factory.Create(test.ImageShape, test.ClassNames.Count);
        ModelWeights.Load(network, weights);
        using Module<Tensor, Tensor> tested = a.Has("flip-tta") ? new FlipAveragingClassifier(network) : network;
        int batchSize = a.Int("batch-size", 1, 100_000) ?? 250;
        // One pass over the test set gives everything below, scored as a run's report scores its predictions file.
        using Predictions predictions = new Trainer().Predict(tested, test, batchSize, cancellationToken: cancellationToken);
        EvaluationResult result = RunFolder.Score(predictions);
        string how = a.Has("flip-tta") ? ", averaged with its mirror images" : "";
        AnsiConsole.MarkupLine($"{Markup.Escape(factory.Name)} on the Fashion-MNIST test set{how}: accuracy [bold]{result.Accuracy:F4}[/], log loss {result.Loss:F4}");
        AnsiConsole.WriteLine(result.Report(4));
        foreach (ConfusedPair pair in Interpretation.MostConfused(result.Metrics.Matrix, 5))
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(pair.ActualName)} taken for {Markup.Escape(pair.PredictedName)}: {pair.Count}");
        }
        if (a.String("predictions") is string path)
        {
            PredictionsCsv.Write(predictions, path);
            AnsiConsole.MarkupLine($"Predictions: {Markup.Escape(Path.GetFullPath(path))}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The normalisation the model's published recipe trains with (the seed CNN and MobileNet use none).</summary>
    static ImageNormalization RecipeNormalization(string model)
    {
        try
        {
            return FashionMnist.Baselines.Recipes.BaselineRecipes.For(model).Normalization;
        }
        catch (ArgumentException)
        {
            return ImageNormalization.FashionMnist;
        }
    }

    static RunRecord? FindRunRecord(string weights)
    {
        for (DirectoryInfo? dir = new FileInfo(weights).Directory; dir != null; dir = dir.Parent)
        {
            var run = new RunFolder(dir.FullName);
            if (File.Exists(run.RunJson)) return run.ReadRecord();
        }
        return null;
    }
}
