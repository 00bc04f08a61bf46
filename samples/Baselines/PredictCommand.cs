using System.Text.Json;
using FashionMnist.Baselines.Imaging;
using FashionMnist.Baselines.Pretrained;
using Spectre.Console;

namespace FashionMnist.Baselines.Cli;

/// <summary>
/// <c>predict &lt;weights|run folder|published name&gt; FILE...</c>: the top classes of image files, converted as the
/// data set was made (<see cref="ImageFile"/>). A file that is missing, empty or not an image is named with exit code 3;
/// with --keep-going the other files are still classified (and the exit code is still 3).
/// </summary>
internal static class PredictCommand
{
    public static int Run(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["top", "model", "invert"], ["json", "keep-going"]);
        if (a.Positional.Count < 2)
        {
            throw new UsageException($"predict needs weights, a run folder or a published name ({string.Join(", ", PretrainedWeights.All.Select(e => e.Name))}) and image files, such as: predict resnet-20 shoe.jpg");
        }
        int top = a.Int("top", 1, 1000) ?? 3;
        BackgroundInversion inversion = a.String("invert") switch
        {
            null or "when-light" => BackgroundInversion.WhenLight,
            "always" => BackgroundInversion.Always,
            "never" => BackgroundInversion.Never,
            string other => throw new UsageException($"--invert {other}: expected when-light, always or never."),
        };
        string source = a.Positional[0];
        if (a.String("model") is string model) ModelName.Resolve(model);
        // A path on disk wins over a published name of the same spelling: it is what the user pointed at.
        PretrainedModel? published = File.Exists(source) || Directory.Exists(source) ? null : PretrainedWeights.Find(source);
        if (published is not null && a.Has("model")) throw new UsageException($"--model does not apply to the published weights '{published.Name}': they are a {published.Model}.");
        using ImageClassifier classifier = published is not null ? new ImageClassifier(published.Load()) : FromWeights(source, a.String("model"));
        classifier.Inversion = inversion;

        // Every file is read first, so that without --keep-going a bad file stops the command before any output.
        var files = new List<(string Path, byte[] Pixels)>();
        var failures = new List<string>();
        foreach (string path in a.Positional.Skip(1))
        {
            try
            {
                files.Add((path, classifier.ReadImage(path)));
            }
            catch (Exception e) when (e is InvalidImageFileException or FileNotFoundException or UnauthorizedAccessException or DirectoryNotFoundException)
            {
                failures.Add(e.Message);
                if (!a.Has("keep-going")) return Fail(failures, "(--keep-going classifies the other files)");
            }
        }
        IReadOnlyList<ImageClassification> results = classifier.Classify(files.Select(f => f.Pixels).ToArray(), top, cancellationToken: cancellationToken);
        if (a.Has("json"))
        {
            var output = files.Zip(results, (f, r) => new
            {
                file = f.Path,
                top = r.Top.Select(c => new { label = c.Label, className = c.ClassName, probability = c.Probability }),
            });
            Console.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (((string path, _), ImageClassification result) in files.Zip(results))
            {
                string classes = string.Join(", ", result.Top.Select(c => $"{c.ClassName} {c.Probability:P1}"));
                AnsiConsole.MarkupLine($"{Markup.Escape(path)}: [bold]{Markup.Escape(result.Best.ClassName)}[/] ({Markup.Escape(classes)})");
            }
        }
        return failures.Count == 0 ? ExitCodes.Success : Fail(failures, "");
    }

    static ImageClassifier FromWeights(string source, string? model)
    {
        if (!File.Exists(source) && !Directory.Exists(source))
        {
            throw new UsageException($"'{source}' is neither a weights file, a run folder nor a published name ({string.Join(", ", PretrainedWeights.All.Select(e => e.Name))}).");
        }
        return ImageClassifier.FromWeights(source, model);
    }

    static int Fail(IReadOnlyList<string> failures, string hint)
    {
        foreach (string failure in failures) Console.Error.WriteLine($"error: {failure} {hint}".TrimEnd());
        return ExitCodes.DataMissingOrDamaged;
    }
}
