using System.Diagnostics;
using Xunit;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>
/// ONNX's own model checker, from Debian's python3-onnx (1.12: IR version 8, opset 17). Tests that need it are skipped
/// without it, except under CI, where .ci/run installs it and a missing checker is a failure.
/// </summary>
internal static class PythonOnnx
{
    public const string Python = "/usr/bin/python3";

    static readonly Lazy<bool> Available = new(() => Run("import onnx").ExitCode == 0);

    public static string? SkipReason => Available.Value || RealData.IsCi
        ? null
        : $"{Python} with onnx not found: apt-get install python3-onnx.";

    /// <summary>Runs <c>onnx.checker.check_model(full_check=True)</c> on each file; returns the exit code and output.</summary>
    public static (int ExitCode, string Output) CheckModels(IEnumerable<string> paths) => Run(
        "import sys, onnx\n" +
        "for path in sys.argv[1:]:\n" +
        "    onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    print('ok', path)\n",
        paths.ToArray());

    static (int ExitCode, string Output) Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

/// <summary>A fact that needs python3-onnx's checker and the real data set: skipped without them, except under CI.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute() => Skip = RealData.SkipReason ?? PythonOnnx.SkipReason;
}
