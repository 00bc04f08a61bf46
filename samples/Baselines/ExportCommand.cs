using FashionMnist.Baselines.Onnx;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>export &lt;weights|run folder&gt; --output model.onnx</c>: the weights as an ONNX file that ONNX Runtime, ML.NET
/// and other runtimes run without this library. What the weights are comes from their model card or run folder;
/// --model overrides it.
/// </summary>
internal static class ExportCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var a = new Arguments(args, ["format", "output", "model"], ["raw-pixels", "float-pixels", "no-probabilities"]);
        if (a.Positional.Count != 1) throw new UsageException("export needs one weights file or run folder, such as: export runs/cnn --output cnn.onnx");
        if (a.String("format") is string format && format != "onnx") throw new UsageException($"--format {format}: expected onnx.");
        string output = a.String("output") ?? throw new UsageException("export needs --output FILE.onnx.");
        if (a.String("model") is string model) ModelName.Resolve(model); // an unknown name is a usage error, before any loading
        if (a.Has("raw-pixels") && a.Has("float-pixels")) throw new UsageException("--raw-pixels and --float-pixels exclude each other: choose uint8 or float input.");
        OnnxPixelInput pixels = a.Has("raw-pixels") ? OnnxPixelInput.Bytes : a.Has("float-pixels") ? OnnxPixelInput.Float255 : OnnxPixelInput.Normalized;

        OnnxModelInfo info;
        try
        {
            info = OnnxExport.SaveWeights(a.Positional[0], output, pixels, a.String("model"), probabilities: !a.Has("no-probabilities"));
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            // Only the write itself throws a plain IOException; damaged or mismatched weights have their own types.
            throw new OutputNotWritableException(e.Message, e);
        }
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
