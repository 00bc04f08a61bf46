using Xunit;

// TorchSharp's default generator (dropout, weight initialisation) and thread count are process-wide: tests that
// check exact repeatability must not share them with tests running at the same time. On two cores little is lost.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
