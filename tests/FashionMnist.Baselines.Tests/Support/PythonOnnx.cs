using Xunit;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>ONNX's own model checker, from Debian's python3-onnx (1.12: IR version 8, opset 17).</summary>
internal static class PythonOnnx
{
    /// <summary>Runs <c>onnx.checker.check_model(full_check=True)</c> on each file; returns the exit code and output.</summary>
    public static (int ExitCode, string Output) CheckModels(IEnumerable<string> paths) => Python.Run([
        "-c",
        "import sys, onnx\n" +
        "for path in sys.argv[1:]:\n" +
        "    onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    print('ok', path)\n",
        .. paths]);
}

/// <summary>A fact that needs python3-onnx's checker and the real data set: skipped without them, except under CI.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute() => Skip = RealData.SkipReason ?? Python.SkipReason("onnx", "python3-onnx");
}
