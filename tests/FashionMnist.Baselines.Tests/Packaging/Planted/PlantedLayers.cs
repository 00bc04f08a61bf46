// Two namespaces for NamespaceLayersTests to prove that its check finds a back-reference: the lower layer (Data) calls
// the upper one (Training) from inside a lambda, where a check of signatures alone would not look.
namespace FashionMnist.Baselines.Tests.Planted.Data
{
    internal static class LowerLayer
    {
        public static Func<int> CallsUp() => () => FashionMnist.Baselines.Tests.Planted.Training.UpperLayer.Value();
    }
}

namespace FashionMnist.Baselines.Tests.Planted.Training
{
    internal static class UpperLayer
    {
        public static int Value() => 42;
    }
}
