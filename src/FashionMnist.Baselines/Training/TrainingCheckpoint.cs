using System.Text.Json;
using FashionMnist.Baselines.Models;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Training;

/// <summary>
/// A resumable snapshot of a run after a completed epoch: model weights, optimizer state, schedule state, the random
/// states of dropout and augmentation, and the history. A checkpoint directory is replaced as a whole: the new one is
/// written under a temporary name and swapped in, so an interrupted save leaves the previous checkpoint usable.
/// </summary>
public static class TrainingCheckpoint
{
    const string ModelFile = "model.bin";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "state.json";
    const string RandomFile = "rng.bin";
    const string AugmentationRandomFile = "augmentation-rng.bin";

    /// <summary>What state.json holds.</summary>
    internal sealed record State(int Epoch, string Optimizer, string Schedule, LearningRateSchedule.PlateauState Plateau, List<EpochRecord> History);

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
            context.Model.save(Path.Combine(temporary, ModelFile));
            context.Optimizer.save_state_dict(Path.Combine(temporary, OptimizerFile));
            WriteTensor(Path.Combine(temporary, RandomFile), get_rng_state());
            WriteTensor(Path.Combine(temporary, AugmentationRandomFile), context.AugmentationGenerator.get_state());
            var state = new State(context.Epoch, context.Options.Optimizer.ToString(), context.Options.Schedule.ToString(),
                context.Schedule.State, context.History.Epochs.ToList());
            File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));

            if (Directory.Exists(full)) Directory.Move(full, previous);
            Directory.Move(temporary, full);
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
        string expected = context.Options.Optimizer.ToString();
        if (state.Optimizer != expected)
        {
            throw new InvalidOptionException("TrainerOptions.ResumeFrom", directory,
                $"the checkpoint was made with {state.Optimizer}, but this run uses {expected}");
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
