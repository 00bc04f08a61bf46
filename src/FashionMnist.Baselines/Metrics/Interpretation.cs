using static TorchSharp.torch;

namespace FashionMnist.Baselines.Metrics;

/// <summary>Where a classifier goes wrong: the most confused pairs and the most confidently wrong samples.</summary>
public static class Interpretation
{
    /// <summary>Off-diagonal cells of <paramref name="matrix"/>, largest first (ties in label order), at most <paramref name="top"/>.</summary>
    public static IReadOnlyList<ConfusedPair> MostConfused(ConfusionMatrix matrix, int top = 10, long minimumCount = 1)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "top must be at least 1.");
        var pairs = new List<ConfusedPair>();
        for (int a = 0; a < matrix.ClassCount; a++)
            for (int p = 0; p < matrix.ClassCount; p++)
                if (a != p && matrix[a, p] >= minimumCount)
                    pairs.Add(new ConfusedPair(a, matrix.ClassNames[a], p, matrix.ClassNames[p], matrix[a, p]));
        return pairs.OrderByDescending(x => x.Count).ThenBy(x => x.Actual).ThenBy(x => x.Predicted).Take(top).ToArray();
    }

    /// <summary>
    /// The <paramref name="k"/> misclassified samples with the highest loss, that is the lowest probability given to
    /// the true class (fastai's "top losses"), highest first.
    /// </summary>
    public static IReadOnlyList<TopLoss> TopLosses(Predictions predictions, int k = 16) => Misclassified(predictions, k, byLoss: true);

    /// <summary>
    /// The <paramref name="k"/> misclassified samples whose predicted (wrong) class got the highest probability, most
    /// confident first: the order a caption showing that probability reads naturally in.
    /// </summary>
    public static IReadOnlyList<TopLoss> MostConfidentlyWrong(Predictions predictions, int k = 16) => Misclassified(predictions, k, byLoss: false);

    static IReadOnlyList<TopLoss> Misclassified(Predictions predictions, int k, bool byLoss)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        using var scope = NewDisposeScope();
        Tensor wrong = nonzero(predictions.Predicted.ne(predictions.Actual)).flatten();
        if (wrong.shape[0] == 0) return [];
        Tensor probabilities = predictions.Probabilities.index_select(0, wrong).to_type(ScalarType.Float64);
        Tensor actual = predictions.Actual.index_select(0, wrong);
        Tensor actualProbability = probabilities.gather(1, actual.view(-1, 1)).flatten();
        Tensor predictedProbability = probabilities.max(1).values;
        Tensor loss = actualProbability.clamp_min(1e-300).log().neg();
        // Stable sort, so that ties keep the data set's order.
        Tensor order = (byLoss ? loss : predictedProbability).sort(stable: true, descending: true).Indices[..(int)Math.Min(k, wrong.shape[0])];

        long[] index = predictions.Indices.index_select(0, wrong.index_select(0, order)).data<long>().ToArray();
        long[] a = actual.index_select(0, order).data<long>().ToArray();
        long[] p = predictions.Predicted.index_select(0, wrong).index_select(0, order).data<long>().ToArray();
        double[] pp = predictedProbability.index_select(0, order).data<double>().ToArray();
        double[] ap = actualProbability.index_select(0, order).data<double>().ToArray();
        double[] l = loss.index_select(0, order).data<double>().ToArray();
        return Enumerable.Range(0, index.Length)
            .Select(i => new TopLoss(index[i], (int)a[i], (int)p[i], pp[i], ap[i], l[i])).ToArray();
    }
}
