using static TorchSharp.torch;

namespace FashionMnist.Baselines.Metrics;

/// <summary>Metrics computed from predicted probabilities <c>[N, C]</c> and true labels <c>[N]</c>.</summary>
public static class ProbabilityMetrics
{
    /// <summary>Fraction of samples whose true label is the most probable class.</summary>
    public static double Accuracy(Tensor probabilities, Tensor labels) => TopKAccuracy(probabilities, labels, 1);

    /// <summary>Fraction of samples whose true label is among the <paramref name="k"/> most probable classes.</summary>
    public static double TopKAccuracy(Tensor probabilities, Tensor labels, int k)
    {
        Check(probabilities, labels);
        if (k < 1 || k > probabilities.shape[1])
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{probabilities.shape[1]}.");
        }
        using var scope = NewDisposeScope();
        Tensor top = probabilities.topk(k, dim: 1).indexes;
        return top.eq(labels.to(probabilities.device).view(-1, 1)).any(1).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// Mean negative log-likelihood of the true labels, as scikit-learn's <c>log_loss</c> (1.2): probabilities are
    /// clipped to [eps, 1 - eps] and each row renormalised; eps defaults, as scikit-learn's <c>eps="auto"</c>, to the
    /// machine epsilon of the probabilities' type: 2^-23 for float32 (a confident mistake costs at most about 15.9),
    /// 2^-52 for float64 (about 36.0).
    /// </summary>
    public static double LogLoss(Tensor probabilities, Tensor labels, double? eps = null)
    {
        Check(probabilities, labels);
        double clip = eps ?? MachineEpsilon(probabilities.dtype);
        using var scope = NewDisposeScope();
        Tensor p = probabilities.to_type(ScalarType.Float64).clamp(clip, 1 - clip);
        p = p / p.sum(1, keepdim: true);
        Tensor picked = p.gather(1, labels.to(probabilities.device).to_type(ScalarType.Int64).view(-1, 1));
        return -picked.log().mean().item<double>();
    }

    static double MachineEpsilon(ScalarType type) => type switch
    {
        ScalarType.Float32 => Math.Pow(2, -23),
        ScalarType.Float16 => Math.Pow(2, -10),
        ScalarType.BFloat16 => Math.Pow(2, -7),
        _ => Math.Pow(2, -52),
    };

    static void Check(Tensor probabilities, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.dim() != 2 || labels.dim() != 1 || probabilities.shape[0] != labels.shape[0] || labels.shape[0] == 0)
        {
            throw new ArgumentException(
                $"Expected probabilities [N, C] and labels [N] with N > 0; got [{string.Join(", ", probabilities.shape)}] and [{string.Join(", ", labels.shape)}].",
                nameof(probabilities));
        }
    }
}
