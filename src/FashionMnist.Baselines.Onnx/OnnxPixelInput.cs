namespace FashionMnist.Baselines.Onnx;

/// <summary>What the exported graph's <c>images</c> input takes.</summary>
public enum OnnxPixelInput
{
    /// <summary>
    /// float32 pixels scaled to [0, 1] and normalised as the model was trained (what the library's batches hold): the
    /// caller does the preprocessing, which the file's metadata describes.
    /// </summary>
    Normalized,

    /// <summary>uint8 pixels 0..255, as stored in the data set's files; scaling and normalisation happen inside the graph.</summary>
    Bytes,

    /// <summary>float32 pixels 0..255 (what ML.NET's image loaders give); scaling and normalisation happen inside the graph.</summary>
    Float255,
}
