using FashionMnist.Baselines.Augmentation;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using FashionMnist.Baselines.PyTorch;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Spectre.Console;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>evaluate &lt;weights|run folder&gt;</c>: the classification report of saved weights on the test set, and
/// optionally the predictions as CSV. What the weights are comes from their model card or run folder
/// (<see cref="ModelFiles"/>); --model and --normalization override it.
/// </summary>
internal static class EvaluateCommand
{
    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["model", "predictions", "data-dir", "normalization", "batch-size", "precision"], ["flip-tta", "flip-shift-tta"]);
        if (a.Positional.Count != 1) throw new UsageException("evaluate needs one weights file, such as: evaluate runs/cnn/weights-best.bin");
        if (a.Positional[0].EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return RunOnnx(a, cancellationToken);
        string extension = Path.GetExtension(a.Positional[0]).ToLowerInvariant();
        bool stateDict = extension is ".pt" or ".pth" or ".safetensors";
        string weights = ModelFiles.WeightsPath(a.Positional[0]);
        if (!File.Exists(weights)) throw new FileNotFoundException($"The weights file {weights} does not exist.", weights);
        if (a.String("model") is string model) ModelName.Resolve(model); // an unknown name is a usage error, before any loading
        ImageNormalization? normalization = a.String("normalization") switch
        {
            null => null,
            "fashion" => ImageNormalization.FashionMnist,
            "none" => ImageNormalization.None,
            string other => throw new UsageException($"--normalization {other}: expected fashion or none."),
        };
        ModelCard card = ModelFiles.Card(weights, a.String("model"), normalization);

        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, a.DataOptions(card.Normalization), cancellationToken);
        // A PyTorch or safetensors file (from fmb export or torch.save of a python/fashion_mnist_baselines model).
        using LoadedModel loaded = stateDict ? StateDictFile.LoadModel(weights, StateDictFile.FormatOf(weights), card) : ModelWeights.LoadModel(weights, card);
        if (a.Has("flip-tta") && a.Has("flip-shift-tta")) throw new UsageException("--flip-tta and --flip-shift-tta are two test-time augmentations: choose one.");
        using Module<Tensor, Tensor> tested = a.Has("flip-tta") ? new FlipAveragingClassifier(loaded.Model)
            : a.Has("flip-shift-tta") ? new FlipShiftAveragingClassifier(loaded.Model, 1, card.Normalization.Black) : loaded.Model;
        int batchSize = a.Int("batch-size", 1, 100_000) ?? 250;
        Precision precision = PrecisionOption.Read(a, "precision") ?? Precision.Float32;
        PrecisionOption.WarnIfSlow(precision);
        // One pass over the test set gives everything below, scored as a run's report scores its predictions file.
        using Predictions predictions = new Trainer().Predict(tested, test, batchSize, precision: precision, cancellationToken: cancellationToken);
        string how = (a.Has("flip-tta") ? ", averaged with its mirror images" : a.Has("flip-shift-tta") ? ", averaged over flips and one-pixel shifts" : "") + (precision == Precision.BFloat16 ? ", computed in bfloat16" : "");
        Print(predictions, $"{card.Model} on the Fashion-MNIST test set{how}", a.String("predictions"));
        return ExitCodes.Success;
    }

    /// <summary>An exported ONNX file through ONNX Runtime: its metadata says the model, classes and input form.</summary>
    static int RunOnnx(Arguments a, CancellationToken cancellationToken)
    {
        foreach (string option in new[] { "model", "normalization", "flip-tta", "flip-shift-tta", "precision" })
        {
            if (a.Has(option)) throw new UsageException($"--{option} does not apply to an ONNX file: its metadata says what the model takes.");
        }
        string path = a.Positional[0];
        using OnnxClassifier onnx = OnnxClassifier.Open(path);
        // The raw pixels go to the classifier, which prepares them as the file's input wants.
        using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, a.DataOptions(ImageNormalization.None), cancellationToken);
        using Predictions predictions = onnx.Predict(test, a.Int("batch-size", 1, 100_000) ?? 250, cancellationToken);
        Print(predictions, $"{onnx.Info.Model} (ONNX, ONNX Runtime) on the Fashion-MNIST test set", a.String("predictions"));
        return ExitCodes.Success;
    }

    static void Print(Predictions predictions, string title, string? predictionsPath)
    {
        ScoreCard score = ScoreCard.From("test", predictions);
        AnsiConsole.MarkupLine($"{Markup.Escape(title)}: accuracy [bold]{score.Accuracy:F4}[/], log loss {score.LogLoss:F4}");
        AnsiConsole.WriteLine(score.Report);
        foreach (ConfusedPair pair in Interpretation.MostConfused(predictions.ConfusionMatrix(), 5))
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(pair.ActualName)} taken for {Markup.Escape(pair.PredictedName)}: {pair.Count}");
        }
        if (predictionsPath is not null)
        {
            PredictionsCsv.Write(predictions, predictionsPath);
            AnsiConsole.MarkupLine($"Predictions: {Markup.Escape(Path.GetFullPath(predictionsPath))}");
        }
    }
}
