namespace FashionMnist.Baselines.Onnx;

/// <summary>
/// A module of the model cannot be expressed in ONNX (no converter for its type, or a setting the converter does not
/// support). Thrown while the graph is built, before any file is written.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception for the module at <paramref name="modulePath"/>.</summary>
    public OnnxExportException(string modulePath, Type moduleType, string reason)
        : base($"Cannot export module '{(modulePath.Length == 0 ? "(the model)" : modulePath)}' of type {moduleType?.FullName} to ONNX: {reason}.")
    {
        ModulePath = modulePath;
        ModuleType = moduleType ?? typeof(object);
    }

    /// <summary>The module's path in the model, as in its state dict keys (empty for the model itself).</summary>
    public string ModulePath { get; }

    /// <summary>The module's type.</summary>
    public Type ModuleType { get; }
}
