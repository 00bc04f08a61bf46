using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Data;

/// <summary>
/// An <see cref="IDataset"/> held entirely in memory: uint8 images <c>[N, C, H, W]</c> and int64 labels <c>[N]</c> on the
/// CPU. Batches are sliced from these tensors, never built one sample at a time.
/// </summary>
public sealed class InMemoryDataset : IDataset, IDisposable
{
    readonly Tensor _images;
    readonly Tensor _labels;

    /// <summary>
    /// Creates a data set that takes ownership of <paramref name="images"/> and <paramref name="labels"/> (they are detached
    /// from any dispose scope; disposing the data set disposes them).
    /// </summary>
    /// <param name="images">uint8 <c>[N, C, H, W]</c> on the CPU.</param>
    /// <param name="labels">
    /// <c>[N]</c> on the CPU, each in <c>0 .. classNames.Count - 1</c>: int64, or another integer type (int32, uint8, ...),
    /// which is converted to an int64 copy (the data set owns and disposes the tensor you pass either way).
    /// </param>
    /// <param name="classNames">Class names in label order.</param>
    /// <param name="normalization">The normalisation batches get; <see cref="ImageNormalization.FashionMnist"/> when null.</param>
    /// <exception cref="ArgumentException">A tensor has the wrong type, rank, device or size, or a label is out of range.</exception>
    public InMemoryDataset(Tensor images, Tensor labels, IReadOnlyList<string> classNames, ImageNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
        {
            throw new ArgumentException($"Images must be uint8 [N, C, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        }
        if (labels.dtype is ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte && labels.dim() == 1)
        {
            // The data set owns what it is given: the converted copy replaces the original, which is freed.
            Tensor converted = labels.to_type(ScalarType.Int64).DetachFromDisposeScope();
            labels.Dispose();
            labels = converted;
        }
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
        {
            throw new ArgumentException($"Labels must be int64 [N]; got {labels.dtype} [{string.Join(", ", labels.shape)}].", nameof(labels));
        }
        foreach ((Tensor t, string name) in new[] { (images, nameof(images)), (labels, nameof(labels)) })
        {
            if (t.device_type != DeviceType.CPU)
            {
                throw new ArgumentException($"The {name} are on {t.device}; expected the CPU (batches move to the training device).", name);
            }
        }
        if (images.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"There are {images.shape[0]} images but {labels.shape[0]} labels.", nameof(labels));
        }
        if (classNames.Count == 0)
        {
            throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        }
        if (labels.shape[0] > 0)
        {
            using Tensor minimum = labels.min(), maximum = labels.max();
            long min = minimum.item<long>();
            long max = maximum.item<long>();
            if (min < 0 || max >= classNames.Count)
            {
                throw new ArgumentException(
                    $"Labels must lie in 0..{classNames.Count - 1} (one per class name); found {min}..{max}.", nameof(labels));
            }
        }

        // The data set owns its tensors for its whole life, whatever dispose scope was open when it was made.
        _images = images.DetachFromDisposeScope();
        _labels = labels.DetachFromDisposeScope();
        ClassNames = classNames.ToArray();
        Normalization = normalization ?? ImageNormalization.FashionMnist;
        ImageShape = new ImageShape((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
    }

    /// <inheritdoc />
    public int Count => (int)_labels.shape[0];

    /// <inheritdoc />
    public ImageShape ImageShape { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public Tensor Images => _images;

    /// <inheritdoc />
    public Tensor Labels => _labels;

    /// <inheritdoc />
    public ImageNormalization Normalization { get; }

    /// <summary>Number of samples of each class, in label order.</summary>
    public long[] ClassCounts()
    {
        using Tensor counts = _labels.bincount(null, ClassNames.Count);
        return counts.data<long>().ToArray();
    }

    /// <inheritdoc />
    public Batch GetBatch(Tensor indices, Device device)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(device);
        // A local scope frees the intermediates; the three results are detached so that the batch alone owns them,
        // whatever dispose scope the caller has open.
        using DisposeScope scope = NewDisposeScope();
        Tensor cpuIndices = indices.to_type(ScalarType.Int64).cpu();
        Tensor images = Normalization.Apply(_images.index_select(0, cpuIndices).to(device));
        Tensor labels = _labels.index_select(0, cpuIndices).to(device);
        Tensor positions = cpuIndices.clone();
        return new Batch(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), positions.DetachFromDisposeScope());
    }

    /// <summary>A new data set with the samples at <paramref name="indices"/> (copied), same classes and normalisation.</summary>
    public InMemoryDataset Subset(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        Tensor positions = indices.to_type(ScalarType.Int64);
        try
        {
            return new InMemoryDataset(_images.index_select(0, positions), _labels.index_select(0, positions), ClassNames, Normalization);
        }
        finally
        {
            if (!ReferenceEquals(positions, indices)) positions.Dispose();
        }
    }

    /// <summary>A new data set with the first <paramref name="count"/> samples (copied), for quick experiments.</summary>
    public InMemoryDataset Take(int count)
    {
        if (count <= 0 || count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Take needs 1..{Count} samples.");
        }
        using Tensor positions = arange(count, dtype: ScalarType.Int64);
        return Subset(positions);
    }

    /// <summary>
    /// A new data set (copied) with only the images of <paramref name="classNames"/>, relabelled 0, 1, ... in the order
    /// given: <c>SelectClasses("Sandal", "Sneaker", "Ankle boot")</c> makes a 3-class footwear set. Same normalisation.
    /// </summary>
    /// <exception cref="ArgumentException">No class is named, a name is not a class of this set (the message lists them), or a name repeats.</exception>
    public InMemoryDataset SelectClasses(params string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Length == 0) throw new ArgumentException("Name at least one class to keep.", nameof(classNames));
        var newLabel = new long[ClassNames.Count];
        Array.Fill(newLabel, -1L);
        Dictionary<string, int> labelOf = ClassNames.Select((name, label) => (name, label)).ToDictionary(p => p.name, p => p.label);
        for (int i = 0; i < classNames.Length; i++)
        {
            int old = labelOf.GetValueOrDefault(classNames[i], -1);
            if (old < 0)
            {
                throw new ArgumentException($"'{classNames[i]}' is not a class of this data set; its classes are: {string.Join(", ", ClassNames)}.", nameof(classNames));
            }
            if (newLabel[old] >= 0) throw new ArgumentException($"The class '{classNames[i]}' is named twice.", nameof(classNames));
            newLabel[old] = i;
        }
        using DisposeScope scope = NewDisposeScope();
        Tensor relabelled = tensor(newLabel).index_select(0, _labels);
        Tensor kept = nonzero(relabelled.ge(0)).flatten();
        return new InMemoryDataset(_images.index_select(0, kept), relabelled.index_select(0, kept), classNames, Normalization);
    }

    /// <summary>
    /// A stratified random sample of <paramref name="count"/> samples (copied): each class keeps its share to within one
    /// sample, chosen by <paramref name="seed"/>, in the original order. <see cref="Take"/> takes the first ones instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not in 1..Count.</exception>
    public InMemoryDataset SampleStratified(int count, long seed)
    {
        if (count <= 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"A sample needs 1..{Count} of the {Count} samples.");
        if (count == Count)
        {
            using Tensor all = arange(Count, dtype: ScalarType.Int64);
            return Subset(all);
        }
        (InMemoryDataset rest, InMemoryDataset sample) = SplitStratified(count, seed);
        rest.Dispose();
        return sample;
    }

    /// <summary>
    /// Splits the set into training and validation parts, stratified by class: each class gives the validation part the
    /// same share (to within one sample), chosen at random by <paramref name="seed"/>. The same seed gives the same
    /// split; both parts keep the original sample order.
    /// </summary>
    /// <param name="validationCount">Number of validation samples, 1 .. Count - 1.</param>
    /// <param name="seed">Seed of the random choice.</param>
    public (InMemoryDataset Train, InMemoryDataset Validation) SplitStratified(int validationCount, long seed)
    {
        if (validationCount <= 0 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount,
                $"The validation part needs 1..{Count - 1} of the {Count} samples.");
        }

        long[] quotas = ValidationQuotas(ClassCounts(), validationCount);
        using DisposeScope scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var validationParts = new List<Tensor>();
        var trainParts = new List<Tensor>();
        for (int c = 0; c < ClassNames.Count; c++)
        {
            Tensor members = nonzero(_labels.eq(c)).flatten();
            Tensor shuffled = members.index_select(0, randperm(members.shape[0], generator: generator));
            validationParts.Add(shuffled[..(int)quotas[c]]);
            trainParts.Add(shuffled[(int)quotas[c]..]);
        }
        Tensor validationIndices = cat(validationParts).sort().Values;
        Tensor trainIndices = cat(trainParts).sort().Values;
        return (Subset(trainIndices), Subset(validationIndices));
    }

    /// <summary>Largest-remainder allocation of <paramref name="total"/> over classes in proportion to their counts.</summary>
    static long[] ValidationQuotas(long[] classCounts, long total)
    {
        long all = classCounts.Sum();
        var quotas = new long[classCounts.Length];
        var remainders = new double[classCounts.Length];
        for (int c = 0; c < classCounts.Length; c++)
        {
            double exact = (double)total * classCounts[c] / all;
            quotas[c] = (long)Math.Floor(exact);
            remainders[c] = exact - quotas[c];
        }
        long left = total - quotas.Sum();
        foreach (int c in Enumerable.Range(0, classCounts.Length).OrderByDescending(c => remainders[c]).ThenBy(c => c))
        {
            if (left == 0) break;
            if (quotas[c] < classCounts[c])
            {
                quotas[c]++;
                left--;
            }
        }
        return quotas;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
