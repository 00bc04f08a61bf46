using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Bench;

/// <summary>
/// <c>Bench matmul</c>: an n x n matrix product in float32 and bfloat16 through each call path a Linear layer can take
/// (<c>mm</c>, <c>matmul</c>, <c>addmm</c>, <c>functional.linear</c> with its transposed weight), the paths alternating
/// round by round so that the machine's drift hits all of them alike. Which library runs each one shows with
/// <c>ONEDNN_VERBOSE=1</c> (oneDNN prints a line per primitive; MKL's and LibTorch's own kernels print nothing), and
/// <c>MKL_VERBOSE=1</c> for MKL. For the PyTorch issue of docs/benchmarks.md ("Matrix products").
/// </summary>
internal static class MatmulCommand
{
    public static void Run(BenchArguments options)
    {
        int n = options.Int("size") ?? 1024, rounds = options.Int("rounds") ?? 7, repeats = options.Int("repeats") ?? 10;
        var times = new Dictionary<string, List<double>>();
        using var noGrad = no_grad();
        foreach (ScalarType type in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            Tensor a = randn(n, n).to_type(type), b = randn(n, n).to_type(type), bias = zeros(n).to_type(type);
            Tensor weight = b.t().contiguous(); // Linear stores [out, in] and computes x W^T
            (string Name, Func<Tensor> Product)[] paths =
            [
                ("mm", () => a.mm(b)),
                ("matmul", () => a.matmul(b)),
                ("addmm", () => bias.addmm(a, b)),
                ("linear", () => functional.linear(a, weight, bias)),
            ];
            foreach (var path in paths) path.Product().Dispose(); // warm-up: one-time dispatch and allocation
            for (int round = 0; round < rounds; round++)
            {
                foreach ((string name, Func<Tensor> product) in paths)
                {
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < repeats; i++) product().Dispose();
                    string key = $"{type}/{name}";
                    if (!times.TryGetValue(key, out var list)) times[key] = list = [];
                    list.Add(clock.Elapsed.TotalMilliseconds / repeats);
                }
            }
        }
        foreach ((string key, List<double> list) in times)
        {
            double median = BenchStatistics.Median(list);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT matmul n={n} path={key} ms={median:F2} gflops={2.0 * n * n * n / median / 1e6:F0} threads={get_num_threads()}"));
        }
    }
}
