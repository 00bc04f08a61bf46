using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Training;
using Spectre.Console;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Cli;

/// <summary>Runs one command and turns every kind of failure into a readable message and a distinct exit code.</summary>
internal static class CommandLine
{
    const string Usage = """
        Usage: dotnet run -c Release --project samples/Baselines -- <command> [options]

        Commands:
          models [name ...] [--summary]        every model with its parameters and multiply-adds per image
          train <model> [options]              train with the model's published recipe into a run folder
          train fast [options]                 the fast recipe: ResNet-9 (resnet9-32), 0.950 in 30 minutes on two CPU cores
          evaluate <weights|run folder>        test-set report of saved weights (also .pt and .safetensors files) [--model m] [--predictions file.csv] [--flip-tta | --flip-shift-tta]
                                               [--normalization fashion|none] [--batch-size N] [--data-dir DIR] [--precision fp32|bf16]
          evaluate <model.onnx>                the same report for an exported file, run by ONNX Runtime [--predictions file.csv]
                                               [--batch-size N] [--data-dir DIR]
          export <weights|run folder>          the weights as ONNX, a PyTorch state dict or safetensors: --output FILE.onnx|.pt|.safetensors
                                               [--format onnx|pytorch|safetensors] [--model m]
                                               ONNX only: [--raw-pixels (uint8 input) | --float-pixels (float 0..255 input)] [--no-probabilities]
          predict <weights|run|published> FILE...  the top classes of image files (PNG, JPEG, BMP, GIF, WebP) [--top 3] [--json]
                                               [--keep-going] [--model m] [--invert when-light|always|never]; published: cnn, resnet-20
          report <run folder>                  rebuild report.md, metrics.json and the PNGs of a run [--data-dir DIR]
          sweep plan FILE                      the trials of a sweep file (YAML or JSON; docs/sweeps.md) with their index and name [--root DIR]
          sweep run FILE                       train the trials into <root>/<trial name>/: all, one after another, or [--parallel P] at a time,
                                               or one: [--trial N] (else JOB_COMPLETION_INDEX); finished trials are skipped, killed ones resume
                                               [--root DIR] [--data-dir DIR] [--threads N]
          sweep k8s FILE                       a Kubernetes indexed Job that runs the sweep: --image IMAGE --volume CLAIM [--output job.yaml]
                                               [--parallelism N] [--threads N] [--memory 6Gi] [--retries 3]
          compare RUN_OR_ROOT...               a leaderboard of finished runs: honest test accuracy, mean and sd per recipe
                                               [--output leaderboard.md] [--plot leaderboard.png] [--same-recipe-despite SETTING,...]
                                               [--curves curves.png (validation accuracy over training time) [--curves-from RUN,...] [--target 0.94]]

        train options (each overrides the recipe):
          --epochs N  --batch-size N  --optimizer sgd|adam|adamw|adamax|adadelta  --lr X  --momentum X  --nesterov
          --weight-decay X  --schedule constant|step|multistep|cosine|onecycle|plateau|decay-when-stalled|warmup-linear  --milestones 150,225  --gamma X
          --step-size N  --max-lr X  --warmup F  --ema DECAY  --ema-every N  --no-ema  --norm-bias-lr X  --norm-bias-decay X
          --augmentation none|flip|crop-flip|random-erasing  --random-erasing P
          --label-smoothing X  --clip X  --validation-size N (default 5000, or a twelfth of --train-subset; 0 = none)
          --train-subset N  --seed N  --device cpu|cuda[:N]  --threads N  --data-dir DIR  --output DIR  --resume CHECKPOINT
          --monitor-test  --verbose  --overwrite (replace the run the output folder holds; without it such a folder is refused)
          --flip-tta (test each image averaged with its mirror image; validation and selection stay plain)
          --flip-shift-tta (test each image averaged over six views: flips and one-pixel shifts; the fast recipe's default)
          --no-tta (plain test predictions, also for the fast recipe)
          --channels-last (channels-last weights while training: faster convolutions on CPU for some models)
          --precision fp32|bf16 (bf16: bfloat16 compute with float32 master weights, for CPUs with BF16 units)
          --test-precision fp32|bf16 (the test evaluations; default fp32)
        """;

    /// <summary>Runs the command in <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
            }
            string[] rest = args[1..];
            // Reuse freed tensor memory instead of faulting it in again for every batch (see NativeAllocator).
            NativeAllocator.KeepFreedMemory();
            return args[0] switch
            {
                "models" => ModelsCommand.Run(rest),
                "train" => TrainCommand.Run(rest, cancellationToken),
                "evaluate" => EvaluateCommand.Run(rest, cancellationToken),
                "report" => ReportCommand.Run(rest, cancellationToken),
                "export" => ExportCommand.Run(rest),
                "predict" => PredictCommand.Run(rest, cancellationToken),
                "sweep" => SweepCommand.Run(rest, cancellationToken),
                "compare" => CompareCommand.Run(rest),
                _ => throw new UsageException($"Unknown command '{args[0]}'. Commands: models, train, evaluate, export, predict, report, sweep, compare."),
            };
        }
        catch (Exception e) when (e is UsageException or InvalidOptionException or RunFolderLockedException)
        {
            return Fail(ExitCodes.Usage, e.Message + "\nRun with --help for the commands and options.");
        }
        catch (Exception e) when (e is FashionMnistNotFoundException or IdxFormatException)
        {
            return Fail(ExitCodes.DataMissingOrDamaged, e.Message);
        }
        catch (Exception e) when (e is ModelWeightsMismatchException or InvalidWeightsFileException or FileNotFoundException or InvalidDataException)
        {
            // InvalidDataException: a damaged checkpoint state, run.json, history.json or predictions file, each named.
            return Fail(ExitCodes.BadWeights, e.Message);
        }
        catch (FileWriteException e)
        {
            // Every file the library writes goes through AtomicFile: a report, predictions, weights, an export.
            return Fail(ExitCodes.OutputNotWritable, e.Message);
        }
        catch (NonFiniteLossException e)
        {
            return Fail(ExitCodes.TrainingDiverged, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ExitCodes.Cancelled, "Cancelled.");
        }
        catch (Exception e)
        {
            // A bug, not a user mistake: show the stack trace.
            AnsiConsole.WriteException(e);
            return ExitCodes.Failure;
        }
    }

    static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }
}
