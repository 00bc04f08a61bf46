using System.Text.Json;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// A resumable snapshot of a run after a completed epoch: model weights, optimizer state, schedule state, the random
/// states of dropout (TorchSharp's CPU generator: exact resumes are for CPU runs; on CUDA, dropout draws from the CUDA
/// generator, which is not saved) and augmentation, and the history. A checkpoint directory is replaced as a whole: the new one is
/// written under a temporary name and swapped in, so an interrupted save leaves the previous checkpoint usable.
/// </summary>
public static class TrainingCheckpoint
{
    const string ModelFile = "model.bin";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "state.json";
    const string RandomFile = "rng.bin";
    const string AugmentationRandomFile = "augmentation-rng.bin";

    /// <summary>What state.json holds: where the run is, and the settings a resume must share with it.</summary>
    internal sealed record State(
        int Epoch, string Optimizer, string Schedule, int Epochs, int BatchSize, bool DropLastBatch, long Seed, string Augmentation,
        LearningRateSchedule.PlateauState Plateau, List<EpochRecord> History)
    {
        public static State Of(TrainerOptions o, int epoch, LearningRateSchedule.PlateauState plateau, List<EpochRecord> history) =>
            new(epoch, o.Optimizer.ToString(), o.Schedule.ToString(), o.Epochs, o.BatchSize, o.DropLastBatch, o.Seed,
                o.Augmentation?.ToString() ?? "none", plateau, history);
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The path of the weights file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string WeightsPath(string directory) => Path.Combine(directory, ModelFile);

    /// <summary>The epoch (from 1) a checkpoint was saved after.</summary>
    public static int EpochOf(string directory) => ReadState(directory).Epoch;

    internal static void Save(TrainingContext context, string directory)
    {
        string full = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        string previous = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.previous");
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
            var state = State.Of(context.Options, context.Epoch, context.Schedule.State, context.History.Epochs.ToList());
            File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));

            if (Directory.Exists(full)) Directory.Move(full, previous);
            try
            {
                Directory.Move(temporary, full);
            }
            catch
            {
                // Put the previous checkpoint back: a failed save must not lose it.
                if (!Directory.Exists(full) && Directory.Exists(previous)) Directory.Move(previous, full);
                throw;
            }
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Restores a run's state from <paramref name="directory"/>; returns the number of completed epochs.</summary>
    internal static int Restore(string directory, TrainingContext context)
    {
        State state = ReadState(directory);
        State current = State.Of(context.Options, state.Epoch, state.Plateau, state.History);
        // Everything that decides the sequence of steps must match, or the resumed run would silently differ.
        foreach ((string name, object saved, object now) in new (string, object, object)[]
        {
            ("Optimizer", state.Optimizer, current.Optimizer), ("Schedule", state.Schedule, current.Schedule),
            ("Epochs", state.Epochs, current.Epochs), ("BatchSize", state.BatchSize, current.BatchSize),
            ("DropLastBatch", state.DropLastBatch, current.DropLastBatch), ("Seed", state.Seed, current.Seed),
            ("Augmentation", state.Augmentation, current.Augmentation),
        })
        {
            if (!Equals(saved, now))
            {
                throw new InvalidOptionException("TrainerOptions.ResumeFrom", directory,
                    $"a checkpoint made with the same {name}: it has {saved}, this run has {now}");
            }
        }
        ModelWeights.Load(context.Model, Path.Combine(directory, ModelFile));
        context.Optimizer.load_state_dict(Path.Combine(directory, OptimizerFile));
        using (Tensor rng = ReadTensor(Path.Combine(directory, RandomFile))) set_rng_state(rng);
        using (Tensor rng = ReadTensor(Path.Combine(directory, AugmentationRandomFile))) context.AugmentationGenerator.set_state(rng);
        context.Schedule.State = state.Plateau;
        foreach (EpochRecord record in state.History) context.History.Add(record);
        return state.Epoch;
    }

    static State ReadState(string directory)
    {
        string path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{directory} is not a checkpoint: it has no {StateFile}.", path);
        }
        return JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty.");
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
