namespace FashionMnist.Baselines.PyTorch;

/// <summary>The file formats of a state dict (parameter and buffer names mapped to tensors).</summary>
public enum StateDictFormat
{
    /// <summary>PyTorch's <c>torch.save(model.state_dict())</c> format (zip of a pickle and tensor data; <c>.pt</c>, <c>.pth</c>).</summary>
    PyTorch,

    /// <summary>safetensors, the Hugging Face format (a JSON header and raw tensor data, no code; <c>.safetensors</c>).</summary>
    Safetensors,
}
