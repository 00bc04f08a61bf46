using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>Save a trained model, load it back ready for use, and classify one image.</summary>
public static class SaveAndClassify
{
    public static (string Label, float Probability) Run(TrainedModel trained, byte[] image28x28, string path)
    {
        trained.Save(path); // the weights, and beside them a model card: model name, input shape, classes, normalisation

        using LoadedModel loaded = ModelWeights.LoadModel(path); // in evaluation mode: BatchNorm and dropout as for inference
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor pixels = tensor(image28x28).reshape(1, 1, 28, 28);
        Tensor input = loaded.Card.Normalization.Apply(pixels); // the preprocessing the model was trained with
        Tensor probabilities = functional.softmax(loaded.Model.call(input), 1)[0];
        int best = (int)probabilities.argmax().item<long>();
        return (loaded.Card.ClassNames[best], probabilities[best].item<float>());
    }
}
