namespace FashionMnist.Baselines.Training;

/// <summary>The number format a model computes in while it trains or evaluates.</summary>
public enum Precision
{
    /// <summary>float32 throughout: weights, activations and gradients.</summary>
    Float32,

    /// <summary>
    /// bfloat16 compute with float32 master weights, as PyTorch's CPU autocast does it: the convolution and linear layers
    /// run on bfloat16 copies of their weights (activations and their gradients in bfloat16), BatchNorm keeps float32
    /// weights and running statistics (LibTorch's CPU BatchNorm takes bfloat16 input with float32 parameters), the
    /// optimizer and its state step the float32 master weights, and the loss, softmax and metrics are computed in
    /// float32. Fast where the CPU has BF16 units (<see cref="BFloat16Support"/>), emulated and slower elsewhere.
    /// </summary>
    BFloat16,
}
