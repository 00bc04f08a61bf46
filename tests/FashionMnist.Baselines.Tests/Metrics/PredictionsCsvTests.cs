using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Metrics;

public sealed class PredictionsCsvTests : IDisposable
{
    static readonly string[] Names = ["a", "b", "c"];
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Predictions_survive_a_round_trip()
    {
        string path = _dir.Combine("p.csv");
        using var written = new Predictions(tensor(new float[] { 0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f }, [2, 3]), tensor(new long[] { 0, 1 }), tensor(new long[] { 5, 9 }), Names);

        PredictionsCsv.Write(written, path);
        using var scope = NewDisposeScope();
        using Predictions read = PredictionsCsv.Read(path, Names);
        scope.Dispose();

        File.ReadAllLines(path)[0].Should().Be("index,true_label,predicted_label,p0,p1,p2");
        read.Probabilities.eq(written.Probabilities).all().item<bool>().Should().BeTrue("the tensors outlive the caller's scope");
        read.Indices.data<long>().ToArray().Should().Equal(5, 9);
        read.Predicted.data<long>().ToArray().Should().Equal(0, 2);
        read.Actual.data<long>().ToArray().Should().Equal(0, 1);
    }

    [Theory]
    [InlineData("0,3,0,0.5,0.3,0.2", "*line 2*labels must lie in 0..2*")]
    [InlineData("0,0,1,0.5,0.3,0.2", "*line 2*predicted_label 1 is not the most probable class (0)*")]
    [InlineData("0,0,0,1.5,0.3,0.2", "*line 2*p0 = 1.5*")]
    [InlineData("0,0,0,0.5,0.3", "*line 2*5 cells instead of 6*")]
    [InlineData("99999999999999999999,0,0,0.5,0.3,0.2", "*line 2*")]
    public void Damaged_rows_are_named_by_file_and_line(string row, string message)
    {
        string path = _dir.Combine("bad.csv");
        File.WriteAllLines(path, ["index,true_label,predicted_label,p0,p1,p2", row]);

        FluentActions.Invoking(() => PredictionsCsv.Read(path, Names)).Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
