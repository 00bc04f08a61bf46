namespace FashionMnist.Baselines.Training;

/// <summary>
/// Training stopped because the loss became NaN or infinite. The model holds the weights from before the failing batch
/// (<see cref="Batch"/> &gt; 0), or those at the end of the epoch whose validation loss was not finite (<see cref="Batch"/> 0).
/// </summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    /// <summary>Creates the exception for batch <paramref name="batch"/> of epoch <paramref name="epoch"/> (both from 1; batch 0: the validation loss).</summary>
    public NonFiniteLossException(int epoch, int batch, double loss)
        : base((batch > 0 ? $"The training loss became {loss} in epoch {epoch}, batch {batch}" : $"The validation loss became {loss} after epoch {epoch}") +
               "; training stopped. " +
               "Lower the learning rate, clip gradients (GradientClipNorm) or check the input normalisation. The last checkpoint, if any, is intact.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch, from 1; 0 when the validation loss was the non-finite one.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss value.</summary>
    public double Loss { get; }
}
