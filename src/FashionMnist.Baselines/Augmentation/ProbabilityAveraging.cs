using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Augmentation;

/// <summary>The one rule of the test-time averaging classifiers: logits whose softmax is the mean of the views' probabilities.</summary>
internal static class ProbabilityAveraging
{
    /// <summary>
    /// log of the summed probabilities of <paramref name="viewLogits"/>, which differs from the log of their mean by a
    /// constant that softmax and cross-entropy ignore. logsumexp keeps it finite where a probability underflows to zero
    /// (and needs no Scalar argument).
    /// </summary>
    public static Tensor MeanLogits(IEnumerable<Tensor> viewLogits) =>
        logsumexp(stack([.. viewLogits.Select(logits => functional.log_softmax(logits, 1))]), 0);
}
