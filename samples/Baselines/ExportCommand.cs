using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using FashionMnist.Baselines.PyTorch;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>export &lt;weights|run folder&gt; --output FILE [--format onnx|pytorch|safetensors]</c>: the weights as an ONNX
/// file that ONNX Runtime, ML.NET and other runtimes run without this library, or as a PyTorch state dict or
/// safetensors file for python/fashion_mnist_baselines. The format defaults to what the output's extension says.
/// What the weights are comes from their model card or run folder; --model overrides it.
/// </summary>
internal static class ExportCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var a = new Arguments(args, ["format", "output", "model"], ["raw-pixels", "float-pixels", "no-probabilities"]);
        if (a.Positional.Count != 1) throw new UsageException("export needs one weights file or run folder, such as: export runs/cnn --output cnn.onnx");
        string output = a.String("output") ?? throw new UsageException("export needs --output FILE (.onnx, .pt or .safetensors).");
        string format = a.String("format") ?? Path.GetExtension(output).ToLowerInvariant() switch
        {
            ".pt" or ".pth" => "pytorch",
            ".safetensors" => "safetensors",
            _ => "onnx",
        };
        if (a.String("model") is string model) ModelName.Resolve(model); // an unknown name is a usage error, before any loading
        // evaluate and Python's loaders tell the format by the extension: a file must say what it holds.
        string[] extensions = format switch { "onnx" => [".onnx"], "pytorch" => [".pt", ".pth"], "safetensors" => [".safetensors"], _ => [] };
        if (extensions.Length > 0 && !extensions.Contains(Path.GetExtension(output).ToLowerInvariant()))
        {
            throw new UsageException($"--format {format} writes {string.Join(" or ", extensions)} files; --output {output} has another extension.");
        }
        switch (format)
        {
            case "onnx": return Onnx(a, output);
            case "pytorch": return StateDict(a, output, StateDictFormat.PyTorch);
            case "safetensors": return StateDict(a, output, StateDictFormat.Safetensors);
            default: throw new UsageException($"--format {format}: expected onnx, pytorch or safetensors.");
        }
    }

    static int StateDict(Arguments a, string output, StateDictFormat format)
    {
        foreach (string option in new[] { "raw-pixels", "float-pixels", "no-probabilities" })
        {
            if (a.Has(option)) throw new UsageException($"--{option} applies to ONNX exports only: a state dict holds the weights alone.");
        }
        ModelCard card = StateDictFile.SaveWeights(a.Positional[0], output, format, a.String("model"));
        AnsiConsole.MarkupLine($"Exported {Markup.Escape(card.Model)} to [bold]{Markup.Escape(Path.GetFullPath(output))}[/] ({(format == StateDictFormat.PyTorch ? "PyTorch state dict" : "safetensors")}), its model card beside it");
        AnsiConsole.MarkupLine($"  in Python, with the repository's python/ folder on PYTHONPATH: model = fashion_mnist_baselines.create(\"{Markup.Escape(card.Model)}\"); " +
            (format == StateDictFormat.PyTorch
                ? "model.load_state_dict(torch.load(path, weights_only=True), strict=True)"
                : "model.load_state_dict(safetensors.torch.load_file(path), strict=True)"));
        AnsiConsole.MarkupLine($"  input: [[N, {card.Input.Channels}, {card.Input.Height}, {card.Input.Width}]] float pixels in [[0, 1]] normalised with {Markup.Escape(card.Normalization.ToString())}");
        return ExitCodes.Success;
    }

    static int Onnx(Arguments a, string output)
    {
        if (a.Has("raw-pixels") && a.Has("float-pixels")) throw new UsageException("--raw-pixels and --float-pixels exclude each other: choose uint8 or float input.");
        OnnxPixelInput pixels = a.Has("raw-pixels") ? OnnxPixelInput.Bytes : a.Has("float-pixels") ? OnnxPixelInput.Float255 : OnnxPixelInput.Normalized;

        OnnxModelInfo info = OnnxExport.SaveWeights(a.Positional[0], output, pixels, a.String("model"), probabilities: !a.Has("no-probabilities"));
        string input = pixels switch
        {
            OnnxPixelInput.Bytes => "uint8 pixels 0..255, normalised inside the graph",
            OnnxPixelInput.Float255 => "float pixels 0..255, normalised inside the graph",
            _ => $"float pixels in [0, 1] normalised with {info.Normalization}",
        };
        AnsiConsole.MarkupLine($"Exported {Markup.Escape(info.Model)} to [bold]{Markup.Escape(Path.GetFullPath(output))}[/] (ONNX opset {OnnxExport.Opset})");
        AnsiConsole.MarkupLine($"  input 'images' [[batch, {info.Input.Channels}, {info.Input.Height}, {info.Input.Width}]]: {Markup.Escape(input)}");
        AnsiConsole.MarkupLine($"  outputs: 'logits'{(a.Has("no-probabilities") ? "" : ", 'probabilities'")} over {info.ClassNames.Count} classes");
        if (info.TestAccuracy is double accuracy) AnsiConsole.MarkupLine($"  the run's test accuracy, recorded in the metadata: {accuracy:F4}");
        return ExitCodes.Success;
    }
}
