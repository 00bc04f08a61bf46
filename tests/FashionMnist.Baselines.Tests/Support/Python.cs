using System.Diagnostics;
using Xunit;

namespace FashionMnist.Baselines.Tests.Support;

/// <summary>
/// Debian's /usr/bin/python3 with its packages (python3-onnx for ONNX's checker, python3-torch for the PyTorch side of
/// the interchange tests). Tests that need a package are skipped without it, except under CI, where scripts/bootstrap.sh
/// installs them and a missing package is a failure.
/// </summary>
internal static class Python
{
    public const string Executable = "/usr/bin/python3";

    static readonly Dictionary<string, bool> Modules = new();

    /// <summary>
    /// What the tests need of each module, as a Python assertion: torch.load's weights_only (PyTorch 1.13 and later) and
    /// opset 17 (onnx 1.12 and later); an older package would make the tests fail rather than skip.
    /// </summary>
    static readonly Dictionary<string, string> Requirements = new()
    {
        ["torch"] = "import inspect, torch; assert 'weights_only' in inspect.signature(torch.load).parameters",
        ["onnx"] = "import onnx, onnx.defs; assert onnx.defs.onnx_opset_version() >= 17",
    };

    /// <summary>Whether <paramref name="module"/> imports and is recent enough for the tests.</summary>
    public static bool Has(string module)
    {
        lock (Modules)
        {
            if (!Modules.TryGetValue(module, out bool has))
            {
                Modules[module] = has = Run(["-c", Requirements.GetValueOrDefault(module, $"import {module}")]).ExitCode == 0;
            }
            return has;
        }
    }

    /// <summary>Why a test that needs <paramref name="module"/> is skipped here, or null when it runs (always under CI).</summary>
    public static string? SkipReason(string module, string package) => Has(module) || RealData.IsCi
        ? null
        : $"{Executable} cannot import {module}, or it is too old for the tests (PyTorch 1.13, onnx 1.12): apt-get install {package}.";

    /// <summary>Runs Python with <paramref name="args"/>, the repository's python/ folder on its path; returns the exit code and output.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["PYTHONPATH"] = Repository.File("python");
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

/// <summary>A fact that needs python3-torch and the real data set: skipped without them, except under CI.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute() => Skip = RealData.SkipReason ?? Python.SkipReason("torch", "python3-torch");
}

/// <summary>A theory that needs python3-torch and the real data set: skipped without them, except under CI.</summary>
public sealed class PythonTorchTheoryAttribute : TheoryAttribute
{
    public PythonTorchTheoryAttribute() => Skip = RealData.SkipReason ?? Python.SkipReason("torch", "python3-torch");
}
