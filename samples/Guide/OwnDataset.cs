using FashionMnist.Baselines.Data;
using static TorchSharp.torch;

/// <summary>Your own images as a data set, and a smaller task cut from Fashion-MNIST.</summary>
public static class OwnDataset
{
    public static InMemoryDataset FromTensors(byte[] pixels, int[] labels)
    {
        // uint8 images [N, 1, 28, 28] and labels [N] (int32 or int64); the data set owns both tensors.
        Tensor images = tensor(pixels).reshape(labels.Length, 1, 28, 28);
        return new InMemoryDataset(images, tensor(labels), ["cat", "dog", "bird"], ImageNormalization.None);
    }

    public static InMemoryDataset Footwear(InMemoryDataset fashion, int count) =>
        // Three classes relabelled 0..2, then a stratified random sample (Take would keep the first images).
        fashion.SelectClasses("Sandal", "Sneaker", "Ankle boot").SampleStratified(count, seed: 1);
}
