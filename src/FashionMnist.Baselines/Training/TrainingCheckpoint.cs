using System.Globalization;
using System.Text.Json;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;

using FashionMnist.Baselines.Runtime;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// A resumable snapshot of a run after a completed epoch: model weights, optimizer state, schedule state, the random
/// states of dropout (TorchSharp's CPU generator: exact resumes are for CPU runs; on CUDA, dropout draws from the CUDA
/// generator, which is not saved) and augmentation, and the history. A checkpoint directory is replaced as a whole: the
/// new one is written beside it as <c>.name.partial</c>, the old one renamed to <c>.name.previous</c>, the new one renamed
/// into place and the old one deleted. A process killed anywhere in between leaves a usable checkpoint: the next save or
/// resume puts <c>.name.previous</c> back when <c>name</c> is missing, and deletes the leftovers. (Files are not flushed
/// to disk before the renames: the swap survives a killed process, not a power failure.)
/// </summary>
internal static class TrainingCheckpoint
{
    const string ModelFile = "model.bin";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "state.json";
    const string RandomFile = "rng.bin";
    const string AugmentationRandomFile = "augmentation-rng.bin";
    // With weight averaging model.bin holds the averaged weights (what the run evaluates) and this file the raw ones
    // the optimizer steps (see AveragedWeights).
    const string TrainingWeightsFile = "training-weights.bin";

    /// <summary>What state.json holds: where the run is, and the settings a resume must share with it.</summary>
    internal sealed record State(
        int Epoch, string Optimizer, string Schedule, int Epochs, int BatchSize, bool DropLastBatch, long Seed, string Augmentation,
        LearningRateSchedule.PlateauState Plateau, List<EpochRecord> History, double LabelSmoothing = 0, double? GradientClipNorm = null,
        string? Model = null, Precision Precision = Precision.Float32, string WeightAveraging = "none")
    {
        public static State Of(TrainerOptions o, int epoch, LearningRateSchedule.PlateauState plateau, List<EpochRecord> history, string? model) =>
            new(epoch, o.Optimizer.ToString(), o.Schedule.ToString(), o.Epochs, o.BatchSize, o.DropLastBatch, o.Seed,
                o.Augmentation?.ToString() ?? "none", plateau, history, o.LabelSmoothing, o.GradientClipNorm, model, o.Precision,
                o.WeightAveraging?.ToString() ?? "none");
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The path of the weights file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string WeightsPath(string directory) => Path.Combine(directory, ModelFile);

    /// <summary>The epoch (from 1) a checkpoint was saved after.</summary>
    public static int EpochOf(string directory) => ReadState(directory).Epoch;

    /// <summary>
    /// Whether <paramref name="directory"/> holds a checkpoint, or held one when a save was killed between its two
    /// renames (then <see cref="Restore"/> puts it back).
    /// </summary>
    internal static bool Exists(string directory) => Directory.Exists(directory) || Directory.Exists(PreviousPath(FullPath(directory)));

    /// <summary>Repairs what a killed save leaves: the old checkpoint under its temporary name, and half-written copies.</summary>
    static void Recover(string full)
    {
        string previous = PreviousPath(full), partial = PartialPath(full);
        if (!Directory.Exists(full) && Directory.Exists(previous)) Directory.Move(previous, full);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
    }

    // "runs/x/checkpoints/last/" and "runs/x/checkpoints/last" are the same checkpoint, with the same leftovers.
    static string FullPath(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    // Fixed names, so that a later save or resume finds what a killed one left behind.
    static string PartialPath(string full) => Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.partial");
    static string PreviousPath(string full) => Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.previous");

    internal static void Save(TrainingContext context, string directory)
    {
        string full = FullPath(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Recover(full);
        string temporary = PartialPath(full), previous = PreviousPath(full);
        Directory.CreateDirectory(temporary);
        try
        {
            ChannelsLastLayout.WhileContiguous(context.Model, context.Optimizer, () =>
            {
                context.Model.save(Path.Combine(temporary, ModelFile));
                context.Optimizer.save_state_dict(Path.Combine(temporary, OptimizerFile));
            });
            WriteTensor(Path.Combine(temporary, RandomFile), get_rng_state());
            WriteTensor(Path.Combine(temporary, AugmentationRandomFile), context.AugmentationGenerator.get_state());
            context.AveragedWeights?.Save(Path.Combine(temporary, TrainingWeightsFile));
            var state = State.Of(context.Options, context.Epoch, context.Schedule.State, context.History.Epochs.ToList(), context.ModelName);
            File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));

            if (Directory.Exists(full)) Directory.Move(full, previous);
            Directory.Move(temporary, full);
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        }
        catch
        {
            // The same repair a killed save gets on the next run: put the previous checkpoint back, drop the partial one.
            Recover(full);
            throw;
        }
    }

    /// <summary>
    /// Reads the state saved in <paramref name="directory"/> (repairing a save that was killed) and refuses it unless
    /// it was made with <paramref name="options"/>' settings; nothing else is touched.
    /// </summary>
    /// <remarks>The model name is recorded for people, not compared: a run started from a factory may resume through
    /// <c>Fit(Module)</c>, and the weights' names and shapes are checked when they load.</remarks>
    internal static State CheckResumable(string directory, TrainerOptions options, string model)
    {
        Recover(FullPath(directory));
        State state = ReadState(directory);
        State current = State.Of(options, state.Epoch, state.Plateau, state.History, model);
        // Everything that decides the sequence of steps must match, or the resumed run would silently differ.
        foreach ((string name, object saved, object now) in new (string, object, object)[]
        {
            ("Optimizer", state.Optimizer, current.Optimizer), ("Schedule", state.Schedule, current.Schedule),
            ("Epochs", state.Epochs, current.Epochs), ("BatchSize", state.BatchSize, current.BatchSize),
            ("DropLastBatch", state.DropLastBatch, current.DropLastBatch), ("Seed", state.Seed, current.Seed),
            ("Augmentation", state.Augmentation, current.Augmentation), ("LabelSmoothing", state.LabelSmoothing, current.LabelSmoothing),
            ("GradientClipNorm", ClipText(state.GradientClipNorm), ClipText(current.GradientClipNorm)),
            ("Precision", state.Precision, current.Precision), ("WeightAveraging", state.WeightAveraging, current.WeightAveraging),
        })
        {
            if (!Equals(saved, now))
            {
                throw new InvalidOptionException("TrainerOptions.ResumeFrom", directory,
                    $"a checkpoint made with the same {name}: it has {saved}, this run has {now}");
            }
        }
        return state;
    }

    /// <summary>
    /// Restores a run's state from <paramref name="directory"/>, read and checked by <see cref="CheckResumable"/>;
    /// returns the number of completed epochs.
    /// </summary>
    internal static int Restore(string directory, State state, TrainingContext context)
    {
        ModelWeights.Load(context.Model, Path.Combine(directory, ModelFile));
        context.Optimizer.load_state_dict(Path.Combine(directory, OptimizerFile));
        using (Tensor rng = ReadTensor(Path.Combine(directory, RandomFile))) set_rng_state(rng);
        using (Tensor rng = ReadTensor(Path.Combine(directory, AugmentationRandomFile))) context.AugmentationGenerator.set_state(rng);
        context.AveragedWeights?.Load(Path.Combine(directory, TrainingWeightsFile));
        context.Schedule.State = state.Plateau;
        foreach (EpochRecord record in state.History) context.History.Add(record);
        return state.Epoch;
    }

    static string ClipText(double? norm) => norm?.ToString(CultureInfo.InvariantCulture) ?? "none";

    static State ReadState(string directory)
    {
        string path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} is not a checkpoint: it has no {StateFile}.", path);
        }
        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable checkpoint state ({e.Message}).", e);
        }
    }

    static void WriteTensor(string path, Tensor value)
    {
        using (value) File.WriteAllBytes(path, value.bytes.ToArray());
    }

    static Tensor ReadTensor(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return tensor(bytes, [bytes.Length]);
    }
}
