using System.Diagnostics;
using System.Runtime.InteropServices;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

if (args.Length > 0)
{
    Console.WriteLine($"mmap threshold: {Native.mallopt(-3, int.MaxValue)}, trim threshold: {Native.mallopt(-1, int.MaxValue)}");
}
manual_seed(0);
using Module<Tensor, Tensor> model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10);
using InMemoryDataset test = FashionMnist.Baselines.Data.FashionMnist.Load(FashionMnistPart.Test);
var clock = Stopwatch.StartNew();
new Trainer().Evaluate(model, test, 1000);
Console.WriteLine($"Evaluate batch 1000: {clock.Elapsed.TotalSeconds:F2} s");
clock.Restart();
new Trainer().Evaluate(model, test, 250);
Console.WriteLine($"Evaluate batch 250: {clock.Elapsed.TotalSeconds:F2} s");

static class Native
{
    [DllImport("libc", SetLastError = true)]
    public static extern int mallopt(int param, int value);
}
