using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Training;

/// <summary>Learning curves, the confusion matrix, the most confidently wrong images and the classification report.</summary>
public static class PlotsAndReports
{
    public static string Save(TrainedModel trained, IDataset test, string folder)
    {
        LearningCurvePlot.Save(trained.History, "accuracy", Path.Combine(folder, "accuracy.png"));
        using Predictions predictions = new Trainer().Predict(trained.Model, test);
        ConfusionMatrixPlot.Save(predictions.ConfusionMatrix(), Path.Combine(folder, "confusion.png"));
        MisclassifiedGrid.Save(predictions, test, Path.Combine(folder, "wrong.png"));
        return predictions.Report(); // scikit-learn's classification_report, to the digit
    }
}
