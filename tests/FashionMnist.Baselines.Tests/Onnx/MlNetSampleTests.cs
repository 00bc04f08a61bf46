using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using OnnxInference;
using Xunit;
using static TorchSharp.torch;

namespace FashionMnist.Baselines.Tests.Onnx;

/// <summary>The ML.NET sample (samples/OnnxInference) classifies test images as ONNX Runtime does, from the exported file alone.</summary>
public sealed class MlNetSampleTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    [RealDataFact]
    public void The_mlnet_samples_labels_equal_onnx_runtimes()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("resnet20.onnx");
        OnnxExport.SaveWeights(Repository.File("docs", "results", "resnet20-onecycle-24"), path, OnnxPixelInput.Float255);
        const int count = 500;
        (byte[][] images, byte[] labels) = TestImages.Read(RealData.Directory, count);

        using var sample = new OnnxImageClassifier(path);
        int[] mlNet = images.Select(image => sample.Classify(image).Label).ToArray();

        using OnnxClassifier onnx = OnnxClassifier.Open(path, threads: 2);
        using Tensor raw = data.Test.Images.narrow(0, 0, count);
        using Tensor logits = onnx.Logits(raw);
        using Tensor predicted = logits.argmax(1);
        mlNet.Should().Equal(predicted.data<long>().ToArray().Select(l => (int)l));
        labels.Should().Equal(data.Test.Labels.narrow(0, 0, count).to_type(ScalarType.Byte).data<byte>().ToArray(), "the sample reads the same images");
        sample.ClassNames.Should().Equal(onnx.Info.ClassNames);
    }

    [Fact]
    public void The_sample_refuses_a_file_that_takes_other_pixels()
    {
        using var dir = new TempDirectory();
        using (var model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10))
        {
            OnnxExport.Save(model, new OnnxExportOptions("cnn", new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames, ImageNormalization.None),
                dir.Combine("m.onnx"));
        }

        Action open = () => new OnnxImageClassifier(dir.Combine("m.onnx")).Dispose();

        open.Should().Throw<ArgumentException>().WithMessage("*normalized-float32*--float-pixels*");
    }
}
