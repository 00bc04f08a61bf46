using FashionMnist.Baselines.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Models;

/// <summary>Saves and loads model weights (parameters and buffers) in TorchSharp's own format.</summary>
public static class ModelWeights
{
    /// <summary>
    /// Saves the state of <paramref name="model"/> to <paramref name="path"/>, atomically (temporary file, then
    /// rename), and <paramref name="card"/>, when given, beside it (<see cref="ModelCard.PathFor"/>), so that
    /// <see cref="LoadModel"/> needs nothing else.
    /// </summary>
    public static void Save(Module model, string path, ModelCard? card = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Weights stored channels-last (TrainerOptions.ChannelsLast) are written in the standard layout.
        AtomicFile.Write(path, temporary => ChannelsLastLayout.WhileContiguous(model, null, () => model.save(temporary)));
        card?.WriteFor(path);
    }

    /// <summary>
    /// Builds the model a weights file was saved from and loads it, ready for use: in evaluation mode, on the CPU.
    /// The model name, input shape and classes come from <paramref name="card"/>, or else from the card saved beside
    /// the file (weights saved before cards need the card passed in).
    /// </summary>
    /// <exception cref="FileNotFoundException">The weights file does not exist.</exception>
    /// <exception cref="InvalidWeightsFileException">The file has no card and none was given, the card names an unknown model, or the file or its card is damaged.</exception>
    /// <exception cref="ModelWeightsMismatchException">The weights do not fit the model the card names.</exception>
    public static LoadedModel LoadModel(string path, ModelCard? card = null) => LoadModelWith(path, card, "pass a ModelCard", Load);

    /// <summary>
    /// What every weights format shares: the card (given, or saved beside the file), the model it names built on the
    /// CPU, <paramref name="load"/> filling it, evaluation mode; the model is disposed when loading fails.
    /// </summary>
    internal static LoadedModel LoadModelWith(string path, ModelCard? card, string noCardHint, Action<Module<Tensor, Tensor>, string> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The weights file {path} does not exist.", path);
        card ??= ModelCard.ReadFor(path)
            ?? throw new InvalidWeightsFileException(path, $"it has no model card ({Path.GetFileName(ModelCard.PathFor(path))}) to say which model it holds; {noCardHint}");
        IModelFactory factory;
        try
        {
            factory = ModelRegistry.Resolve(card.Model);
        }
        catch (ArgumentException e)
        {
            throw new InvalidWeightsFileException(path, $"its card names a model this library does not have ({e.Message})", e);
        }
        Module<Tensor, Tensor> model = factory.Create(card.Input, card.ClassNames.Count);
        try
        {
            load(model, path);
            model.eval();
            return new LoadedModel(model, card);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="model"/>, leaving its mode as it was (a model fresh from
    /// <see cref="IModelFactory.Create"/> is in training mode: call <c>eval()</c> before using it, or use
    /// <see cref="LoadModel"/>, which does), after checking that every entry matches by name,
    /// element type and shape.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelWeightsMismatchException">The file was saved from another architecture or shape; the message names the first mismatch.</exception>
    /// <exception cref="InvalidWeightsFileException">The file is not a TorchSharp weights file.</exception>
    public static void Load(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path)) throw new FileNotFoundException($"The weights file {path} does not exist.", path);

        Dictionary<string, (ScalarType Type, long[] Shape)> saved = ReadEntries(path);
        foreach ((string name, Tensor expected) in model.state_dict())
        {
            if (!saved.TryGetValue(name, out var entry))
            {
                throw new ModelWeightsMismatchException(path, name, "missing from the file.");
            }
            if (entry.Type != expected.dtype || !entry.Shape.SequenceEqual(expected.shape))
            {
                throw new ModelWeightsMismatchException(path, name,
                    $"the file has {entry.Type} [{string.Join(", ", entry.Shape)}], the model needs {expected.dtype} [{string.Join(", ", expected.shape)}].");
            }
            saved.Remove(name);
        }
        if (saved.Count > 0)
        {
            throw new ModelWeightsMismatchException(path, saved.Keys.First(), "in the file but not in the model.");
        }
        ChannelsLastLayout.WhileContiguous(model, null, () => model.load(path, strict: true)); // loading, like saving, needs contiguous tensors
    }

    /// <summary>
    /// Reads the names, element types and shapes in a TorchSharp weights file without loading the values: a LEB128
    /// entry count, then per entry a length-prefixed name, the type, the rank, the dimensions and the raw data.
    /// </summary>
    static Dictionary<string, (ScalarType Type, long[] Shape)> ReadEntries(string path)
    {
        var entries = new Dictionary<string, (ScalarType, long[])>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            long count = reader.Read7BitEncodedInt64();
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var type = (ScalarType)reader.Read7BitEncodedInt64();
                long rank = reader.Read7BitEncodedInt64();
                // A damaged header must end as InvalidWeightsFileException, not as a huge allocation or a seek error.
                if (rank is < 0 or > MaxRank) throw new InvalidDataException($"entry {name} has rank {rank} (expected 0 to {MaxRank})");
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = reader.Read7BitEncodedInt64();
                if (shape.Any(size => size < 0)) throw new InvalidDataException($"entry {name} has a negative dimension [{string.Join(", ", shape)}]");
                long bytes = checked(shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type));
                if (bytes > reader.BaseStream.Length - reader.BaseStream.Position)
                {
                    throw new InvalidDataException($"entry {name} needs {bytes} bytes of data but the file ends before");
                }
                reader.BaseStream.Seek(bytes, SeekOrigin.Current);
                entries[name] = (type, shape);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException("bytes follow the last entry");
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or OverflowException)
        {
            throw new InvalidWeightsFileException(path, $"it is not a TorchSharp weights file ({e.Message})", e);
        }
        return entries;
    }

    const int MaxRank = 64; // LibTorch's own limit on tensor dimensions

    static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new InvalidDataException($"unknown element type {(int)type}"),
    };
}
