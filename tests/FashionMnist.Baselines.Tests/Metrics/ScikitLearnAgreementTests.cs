using System.Text.Json;
using FashionMnist.Baselines.Metrics;
using FluentAssertions;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Metrics;

/// <summary>
/// Compares with outputs of scikit-learn 1.2.1 (Debian 12's python3-sklearn), written once by
/// TestData/sklearn/make_expected.py and committed.
/// </summary>
public sealed class ScikitLearnAgreementTests
{
    sealed record Case(
        string Sklearn, string[] Class_names, long[] Y_true, long[] Y_pred, int Digits, int Zero_division, string Report,
        long[][] Confusion_matrix, double[][] Confusion_matrix_true, double[][] Confusion_matrix_pred, double[][] Confusion_matrix_all,
        double[][]? Probabilities, double? Log_loss, double? Top_2_accuracy);

    static Case Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "sklearn", name + ".json");
        return JsonSerializer.Deserialize<Case>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    public static TheoryData<string> Cases => new()
    {
        "fashion_digits2", "fashion_digits4", "never_predicted_zero", "never_predicted_one", "absent_class", "three_classes", "ties",
        "test_set_like",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_report_text_is_identical(string name)
    {
        Case expected = Load(name);
        ConfusionMatrix matrix = ConfusionMatrix.From(expected.Class_names, expected.Y_true, expected.Y_pred);
        var metrics = new ClassificationMetrics(matrix, expected.Zero_division == 1 ? ZeroDivision.One : ZeroDivision.Zero);

        string report = ClassificationReport.Format(metrics, expected.Digits);

        report.Should().Be(expected.Report);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Confusion_matrices_match_counts_and_every_normalisation(string name)
    {
        Case expected = Load(name);
        var matrix = new ConfusionMatrix(expected.Class_names);
        // Accumulate in two tensor batches to exercise the batch path.
        int half = expected.Y_true.Length / 2;
        matrix.Add(tensor(expected.Y_true[..half]), tensor(expected.Y_pred[..half]));
        matrix.Add(tensor(expected.Y_true[half..]), tensor(expected.Y_pred[half..]));

        int n = expected.Class_names.Length;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                matrix[i, j].Should().Be(expected.Confusion_matrix[i][j]);
                matrix.Normalized(ConfusionNormalization.True)[i, j].Should().BeApproximately(expected.Confusion_matrix_true[i][j], 1e-12);
                matrix.Normalized(ConfusionNormalization.Predicted)[i, j].Should().BeApproximately(expected.Confusion_matrix_pred[i][j], 1e-12);
                matrix.Normalized(ConfusionNormalization.All)[i, j].Should().BeApproximately(expected.Confusion_matrix_all[i][j], 1e-12);
            }
        matrix.Total.Should().Be(expected.Y_true.Length);
    }

    [Fact]
    public void Log_loss_and_top_k_accuracy_match()
    {
        Case expected = Load("three_classes");
        using Tensor probabilities = tensor(expected.Probabilities!.SelectMany(r => r).ToArray(), [expected.Probabilities!.Length, 3]);
        using Tensor labels = tensor(expected.Y_true);

        ProbabilityMetrics.LogLoss(probabilities, labels).Should().BeApproximately(expected.Log_loss!.Value, 1e-12);
        ProbabilityMetrics.TopKAccuracy(probabilities, labels, 2).Should().BeApproximately(expected.Top_2_accuracy!.Value, 1e-12);
        ProbabilityMetrics.TopKAccuracy(probabilities, labels, 3).Should().Be(1.0);
    }

    [Fact]
    public void Log_loss_clips_at_the_machine_epsilon_of_the_probabilities_type_as_scikit_learn_auto_does()
    {
        // A confident mistake: the true class has probability 0. scikit-learn 1.2 clips at np.finfo(dtype).eps:
        // Debian's 1.2.1 gives 15.942385272088039 for float32 and 36.04365338911715 for float64 input.
        using Tensor labels = tensor(new long[] { 0 });
        using Tensor single = tensor(new float[] { 0f, 1f, 0f }, [1, 3]);
        using Tensor twice = tensor(new double[] { 0, 1, 0 }, [1, 3]);
        double eps32 = Math.Pow(2, -23), eps64 = Math.Pow(2, -52);

        ProbabilityMetrics.LogLoss(single, labels).Should().BeApproximately(-Math.Log(eps32 / (1 + eps32)), 1e-9);
        ProbabilityMetrics.LogLoss(twice, labels).Should().BeApproximately(-Math.Log(eps64 / (1 + eps64)), 1e-9);
        ProbabilityMetrics.LogLoss(single, labels, eps: 1e-15).Should().BeApproximately(-Math.Log(1e-15 / (1 + 1e-15)), 1e-9);
    }
}
