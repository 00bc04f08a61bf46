using System.Collections;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Recipes;
using FashionMnist.Baselines.Runtime;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.PyTorch;

/// <summary>
/// A model's weights as a PyTorch state dict or a safetensors file: what <c>torch.save(model.state_dict())</c> writes
/// and <c>torch.load(path, weights_only=True)</c> reads, with the key names, shapes and buffers of the PyTorch
/// definitions in <c>python/fashion_mnist_baselines/models.py</c> (BatchNorm's running statistics and
/// <c>num_batches_tracked</c> included), so that <c>load_state_dict(..., strict=True)</c> accepts it. The files are read
/// and written by TorchSharp.PyBridge; a load checks every key, element type and shape before changing the model.
/// </summary>
public static class StateDictFile
{
    /// <summary>The format a file name says: <c>.safetensors</c>, or <c>.pt</c> / <c>.pth</c> for PyTorch's.</summary>
    /// <exception cref="ArgumentException">The extension is neither.</exception>
    public static StateDictFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => StateDictFormat.Safetensors,
            ".pt" or ".pth" => StateDictFormat.PyTorch,
            string other => throw new ArgumentException(
                $"{path}: the extension '{other}' names no state-dict format; expected .pt or .pth (PyTorch) or .safetensors.", nameof(path)),
        };
    }

    /// <summary>
    /// Writes the state of <paramref name="model"/> to <paramref name="path"/> in <paramref name="format"/>, atomically
    /// (temporary file, then rename), in the standard memory layout, and <paramref name="card"/>, when given, beside it
    /// (<see cref="ModelCard.PathFor"/>) so that <see cref="LoadModel"/> needs nothing else.
    /// </summary>
    /// <exception cref="FileWriteException">The file or its card cannot be written (a read-only folder, a full disk); the message names it.</exception>
    public static void Save(Module model, string path, StateDictFormat format, ModelCard? card = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        // The card first: weights never stand beside a stale card (or none) that would describe another model.
        if (card is not null) card.WriteFor(path);
        else if (File.Exists(ModelCard.PathFor(path))) File.Delete(ModelCard.PathFor(path));
        AtomicFile.Write(path, temporary => ChannelsLastLayout.WhileContiguous(model, null, () =>
        {
            if (format == StateDictFormat.Safetensors) model.save_safetensors(temporary);
            else model.save_py(temporary);
        }));
    }

    /// <summary>
    /// Loads a state dict file into <paramref name="model"/> after checking that its keys are exactly the model's,
    /// each with the model's element type and shape; the model is unchanged when the check fails.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelWeightsMismatchException">A key is missing, extra, or of another type or shape; the message names it.</exception>
    /// <exception cref="InvalidWeightsFileException">The file is not a state dict in <paramref name="format"/>.</exception>
    public static void Load(Module model, string path, StateDictFormat format)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The weights file {path} does not exist.", path);
        Dictionary<string, Tensor> saved = Read(path, format);
        try
        {
            Dictionary<string, Tensor> expected = model.state_dict();
            foreach ((string name, Tensor tensor) in expected)
            {
                if (!saved.TryGetValue(name, out Tensor? entry))
                {
                    throw new ModelWeightsMismatchException(path, name, "missing from the file.");
                }
                if (entry.dtype != tensor.dtype || !entry.shape.SequenceEqual(tensor.shape))
                {
                    throw new ModelWeightsMismatchException(path, name,
                        $"the file has {entry.dtype} [{string.Join(", ", entry.shape)}], the model needs {tensor.dtype} [{string.Join(", ", tensor.shape)}].");
                }
            }
            string? extra = saved.Keys.FirstOrDefault(name => !expected.ContainsKey(name));
            if (extra != null) throw new ModelWeightsMismatchException(path, extra, "in the file but not in the model.");
            using (no_grad())
            {
                foreach ((string name, Tensor tensor) in expected) tensor.copy_(saved[name]);
            }
        }
        finally
        {
            foreach (Tensor tensor in saved.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Builds the model <paramref name="card"/> names (or the card saved beside the file names) and loads the file
    /// into it, ready for use: in evaluation mode, on the CPU.
    /// </summary>
    /// <exception cref="InvalidWeightsFileException">No card is given or saved beside the file, or the card names an unknown model.</exception>
    public static LoadedModel LoadModel(string path, StateDictFormat format, ModelCard? card = null) =>
        ModelWeights.LoadModelWith(path, card, "name the model", (model, file) => Load(model, file, format));

    /// <summary>
    /// Writes saved weights, or a run folder's best weights, as a state dict file with the card beside it. What the
    /// weights are comes from their model card or run folder (<see cref="ModelFiles"/>; <paramref name="model"/> overrides it).
    /// </summary>
    /// <returns>The card written beside the file.</returns>
    public static ModelCard SaveWeights(string weightsOrRunFolder, string path, StateDictFormat format, string? model = null)
    {
        using LoadedModel loaded = ModelFiles.Load(weightsOrRunFolder, model);
        Save(loaded.Model, path, format, loaded.Card);
        return loaded.Card;
    }

    /// <summary>The file's entries, or <see cref="InvalidWeightsFileException"/> when it is not a state dict of that format.</summary>
    static Dictionary<string, Tensor> Read(string path, StateDictFormat format)
    {
        try
        {
            if (format == StateDictFormat.Safetensors) return Safetensors.LoadStateDict(path);
            Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
            var entries = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor tensor)
                {
                    foreach (object? value in table.Values) (value as Tensor)?.Dispose();
                    throw new InvalidDataException($"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor");
                }
                entries[name] = tensor;
            }
            return entries;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException))
        {
            string what = format == StateDictFormat.Safetensors ? "a safetensors file" : "a PyTorch state dict (torch.save of model.state_dict())";
            throw new InvalidWeightsFileException(path, $"it is not {what}: {e.Message}", e);
        }
    }
}
