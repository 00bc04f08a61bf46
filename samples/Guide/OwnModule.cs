using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>Your own TorchSharp module trained by the library's Trainer.</summary>
public static class OwnModule
{
    sealed class TinyNet : Module<Tensor, Tensor>
    {
        readonly Conv2d conv = Conv2d(1, 16, 3, padding: 1);
        readonly Linear head = Linear(16, 10);

        public TinyNet() : base(nameof(TinyNet)) => RegisterComponents(); // without it the trainer sees no parameters

        public override Tensor forward(Tensor x) => head.call(functional.relu(conv.call(x)).mean([2, 3]));
    }

    public static TrainingHistory Train(IDataset train, IDataset validation)
    {
        using var model = new TinyNet();
        var options = new TrainerOptions { Epochs = 2, Optimizer = OptimizerSettings.Adam(3e-3) };
        return new Trainer().Fit(model, train, validation, options, [new StopAtAccuracy(0.99)]);
    }
}
