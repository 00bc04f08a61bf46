using TorchSharp;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Recipes;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Imaging;

/// <summary>
/// A trained model ready to classify images: grey pixel arrays as the data set holds them, or image files converted as
/// the data set was made (<see cref="ImageFile"/>). The model's card says its input shape, classes and normalisation.
/// Made from a run folder or weights file (<see cref="FromWeights"/>), or from any <see cref="LoadedModel"/>, such as a
/// published weights entry of FashionMnist.Baselines.Pretrained.
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    readonly LoadedModel loaded;

    /// <summary>Classifies with <paramref name="model"/>, which this object then owns (and disposes, also when it refuses it).</summary>
    public ImageClassifier(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Card.Input.Channels != 1)
        {
            model.Dispose(); // this object was to own it
            throw new ArgumentException($"The classifier takes grey images; the model takes {model.Card.Input}.", nameof(model));
        }
        loaded = model;
        loaded.Model.eval();
    }

    /// <summary>The classifier of saved weights, or of a run folder's best weights (<see cref="ModelFiles"/> finds what they are).</summary>
    public static ImageClassifier FromWeights(string weightsOrRunFolder, string? model = null) =>
        new(ModelFiles.Load(weightsOrRunFolder, model));

    /// <summary>The model, in evaluation mode (owned by this classifier).</summary>
    public nn.Module<Tensor, Tensor> Model => loaded.Model;

    /// <summary>The model's card: name, input shape, class names, normalisation.</summary>
    public ModelCard Card => loaded.Card;

    /// <summary>When file images are inverted to light-on-black (default: when their background is light).</summary>
    public BackgroundInversion Inversion { get; set; } = BackgroundInversion.WhenLight;

    /// <summary>Reads <paramref name="path"/> as this model's input (<see cref="ImageFile.Read"/> with <see cref="Inversion"/>).</summary>
    public byte[] ReadImage(string path) => ImageFile.Read(path, Card.Input, Inversion);

    /// <summary>
    /// Classifies grey images, each <c>Height * Width</c> bytes row by row (0 black .. 255 white, light garments on black
    /// as in the data set), in batches of <paramref name="batchSize"/>.
    /// </summary>
    public IReadOnlyList<ImageClassification> Classify(IReadOnlyList<byte[]> images, int top = 3, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ImageShape shape = Card.Input;
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null || images[i].Length != shape.Height * shape.Width)
            {
                throw new ArgumentException($"Image {i} has {images[i]?.Length ?? 0} pixels; the model takes {shape.Height}x{shape.Width} = {shape.Height * shape.Width}.", nameof(images));
            }
        }
        int k = Math.Min(top, Card.ClassNames.Count);
        var results = new List<ImageClassification>(images.Count);
        for (int start = 0; start < images.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, images.Count - start);
            using DisposeScope scope = NewDisposeScope();
            using IDisposable noGrad = no_grad();
            int size = shape.Height * shape.Width;
            byte[] pixels = new byte[count * size];
            for (int i = 0; i < count; i++) Buffer.BlockCopy(images[start + i], 0, pixels, i * size, size);
            Device device = loaded.Model.parameters().FirstOrDefault()?.device ?? CPU;
            Tensor batch = Card.Normalization.Apply(tensor(pixels, shape.WithBatch(count)).to(device));
            Tensor probabilities = loaded.Model.call(batch).softmax(1);
            (Tensor values, Tensor indices) = probabilities.topk(k, dim: 1);
            float[] p = values.cpu().data<float>().ToArray();
            long[] labels = indices.cpu().data<long>().ToArray();
            for (int i = 0; i < count; i++)
            {
                results.Add(new ImageClassification(Enumerable.Range(0, k)
                    .Select(j => new ClassProbability((int)labels[i * k + j], Card.ClassNames[(int)labels[i * k + j]], p[i * k + j])).ToArray()));
            }
        }
        return results;
    }

    /// <summary>Reads and classifies image files; the first file that cannot be read ends the call with its exception.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidImageFileException">A file is empty or not a decodable image.</exception>
    public IReadOnlyList<ImageClassification> ClassifyFiles(IReadOnlyList<string> paths, int top = 3, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Classify(paths.Select(ReadImage).ToArray(), top, batchSize, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => loaded.Dispose();
}
