using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Onnx;
using FashionMnist.Baselines.Reporting;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.Onnx;

/// <summary>
/// Every model the registry builds, exported and run by ONNX Runtime on real test images, gives TorchSharp's logits;
/// a committed run exported and evaluated through ONNX Runtime gives its published predictions.
/// </summary>
public sealed class OnnxExportTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    const int Images = 256;

    public static TheoryData<string> RegistryModels() => new(ModelRegistry.Names);

    [RealDataTheory]
    [MemberData(nameof(RegistryModels))]
    public void A_registry_model_exported_gives_torchsharps_logits_in_onnx_runtime(string name)
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> model = RandomModels.Create(name);
        using Tensor raw = data.Test.Images.narrow(0, 0, Images);
        using Tensor expected = TorchSharpLogits(model, raw, ImageNormalization.FashionMnist);

        foreach (OnnxPixelInput pixels in new[] { OnnxPixelInput.Normalized, OnnxPixelInput.Bytes })
        {
            string path = dir.Combine($"{name}-{pixels}.onnx");
            OnnxExport.Save(model, Options(name, pixels), path);

            using OnnxClassifier onnx = OnnxClassifier.Open(path, threads: 2);
            using Tensor actual = onnx.Logits(raw);

            actual.shape.Should().Equal(Images, 10);
            double difference = (actual - expected).abs().max().item<float>();
            difference.Should().BeLessThan(1e-4,
                $"{name} with {pixels} input: ONNX Runtime's logits against TorchSharp's (largest logit {expected.abs().max().item<float>()})");
        }
    }

    [RealDataFact]
    public void Float_pixels_0_to_255_give_the_same_logits()
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> model = RandomModels.Create("mobilenet-0.25");
        using Tensor raw = data.Test.Images.narrow(0, 0, 64);
        using Tensor expected = TorchSharpLogits(model, raw, ImageNormalization.FashionMnist);
        OnnxExport.Save(model, Options("mobilenet-0.25", OnnxPixelInput.Float255), dir.Combine("m.onnx"));

        using OnnxClassifier onnx = OnnxClassifier.Open(dir.Combine("m.onnx"), threads: 2);
        using Tensor actual = onnx.Logits(raw);

        (actual - expected).abs().max().item<float>().Should().BeLessThan(1e-4f);
    }

    [RealDataFact]
    public void The_committed_resnet20_run_exported_reproduces_its_published_predictions()
    {
        using var dir = new TempDirectory();
        var run = new RunFolder(Repository.File("docs", "results", "resnet20-onecycle-24"));
        using Predictions published = PredictionsCsv.Read(run.BestPredictions, FashionMnistFiles.ClassNames);

        OnnxModelInfo exported = OnnxExport.SaveWeights(run.Path, dir.Combine("resnet20.onnx"), OnnxPixelInput.Bytes);
        using OnnxClassifier onnx = OnnxClassifier.Open(dir.Combine("resnet20.onnx"), threads: 2);
        using Predictions predictions = onnx.Predict(data.Test);

        exported.TestAccuracy.Should().Be(published.Accuracy, "an export from a run records the run's test accuracy");
        onnx.Info.Should().BeEquivalentTo(exported);
        predictions.Count.Should().Be(10_000);
        predictions.Predicted.data<long>().ToArray().Should().Equal(published.Predicted.data<long>().ToArray());
        predictions.Accuracy.Should().Be(published.Accuracy);
        (predictions.Probabilities - published.Probabilities).abs().max().item<float>().Should().BeLessThan(1e-4f);
    }

    [OnnxCheckerFact]
    public void Exported_files_pass_onnxs_full_model_check()
    {
        using var dir = new TempDirectory();
        var paths = new List<string>();
        foreach (string name in new[] { "cnn", "mobilenet-0.25", "mobilenet-28-0.25", "wrn-16-4", "resnet-20", "resnet-44" })
        {
            using Module<Tensor, Tensor> model = RandomModels.Create(name);
            foreach (OnnxPixelInput pixels in Enum.GetValues<OnnxPixelInput>())
            {
                string path = dir.Combine($"{name}-{pixels}.onnx");
                OnnxExport.Save(model, Options(name, pixels) with { Probabilities = pixels != OnnxPixelInput.Float255 }, path);
                paths.Add(path);
            }
        }

        (int exitCode, string output) = PythonOnnx.CheckModels(paths);

        exitCode.Should().Be(0, output);
        output.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)).Should().Be(paths.Count);
    }

    [Fact]
    public void The_metadata_records_what_a_deployed_model_needs()
    {
        using Module<Tensor, Tensor> model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10);
        OnnxExportOptions options = Options("cnn", OnnxPixelInput.Bytes) with { TestAccuracy = 0.9321 };

        global::Onnx.ModelProto proto = OnnxExport.Build(model, options);

        proto.OpsetImport.Should().ContainSingle().Which.Version.Should().Be(17);
        proto.Graph.Input.Should().ContainSingle().Which.Name.Should().Be("images");
        proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam.Should().Be("batch", "the batch dimension is symbolic");
        proto.Graph.Output.Select(o => o.Name).Should().Equal("logits", "probabilities");
        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        OnnxModelInfo info = OnnxModelInfo.FromMetadata(metadata, "model.onnx");
        info.Model.Should().Be("cnn");
        info.ClassNames.Should().Equal(FashionMnistFiles.ClassNames);
        info.Pixels.Should().Be(OnnxPixelInput.Bytes);
        info.Input.Should().Be(new ImageShape(1, 28, 28));
        info.Normalization.Mean.Should().Equal(0.2860f);
        info.TestAccuracy.Should().Be(0.9321);
        info.LibraryVersion.Should().Be(RunEnvironment.Current().Library);
        proto.Graph.Initializer.Select(i => i.Name).Should().Contain(["features.conv1.weight", "classifier.bn.running_var"],
            "initializers are named as the state dict");
    }

    [Fact]
    public void A_module_without_a_converter_is_named_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using var model = new FlattenFirst(nn.Sequential(("body", nn.Sequential(("linear", nn.Linear(4, 4)), ("act", nn.GELU()))), ("out", nn.Linear(4, 2))));
        model.train();
        var options = new OnnxExportOptions("mlp", new ImageShape(1, 2, 2), ["a", "b"], ImageNormalization.None) { Converters = WithFlattenFirst() };

        Action export = () => OnnxExport.Save(model, options, dir.Combine("m.onnx"));

        export.Should().Throw<OnnxExportException>()
            .Where(e => e.ModulePath == "inner.body.act" && e.ModuleType == typeof(GELU) && e.Message.Contains("inner.body.act") && e.Message.Contains("GELU"));
        Directory.GetFiles(dir.Path).Should().BeEmpty("the graph is built whole before any file is written");
        model.training.Should().BeTrue("the training mode is restored, also after a failed export");
    }

    [Fact]
    public void A_users_own_module_exports_through_a_registered_converter()
    {
        using var dir = new TempDirectory();
        using var model = new FlattenFirst(nn.Sequential(("linear", nn.Linear(4, 3)), ("double", new Doubling())));
        OnnxConverters converters = WithFlattenFirst()
            .Add<Doubling>((g, _, x) => g.Node("Mul", [x, g.Constant("two", [2f], [])]));
        var options = new OnnxExportOptions("mine", new ImageShape(1, 2, 2), ["a", "b", "c"], ImageNormalization.None) { Converters = converters };
        model.train();

        OnnxExport.Save(model, options, dir.Combine("mine.onnx"));

        using Tensor images = randint(0, 256, [5, 1, 2, 2], dtype: ScalarType.Byte);
        using OnnxClassifier onnx = OnnxClassifier.Open(dir.Combine("mine.onnx"));
        using Tensor actual = onnx.Logits(images);
        model.training.Should().BeTrue("the training mode is restored after export");
        model.eval();
        using Tensor expected = model.call(images.to_type(ScalarType.Float32).div(255));
        (actual - expected).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void An_unwritable_output_path_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("a-file"), "");
        using Module<Tensor, Tensor> model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10);
        string path = dir.Combine("a-file", "model.onnx");

        Action export = () => OnnxExport.Save(model, Options("cnn", OnnxPixelInput.Normalized), path);

        export.Should().Throw<IOException>().Where(e => e.Message.Contains(path));
        Directory.GetFiles(dir.Path).Should().Equal(dir.Combine("a-file"));
    }

    [Fact]
    public void Options_that_do_not_fit_the_model_are_refused_before_export()
    {
        using Module<Tensor, Tensor> model = new CnnFactory().Create(new ImageShape(1, 28, 28), 10);
        var options = Options("cnn", OnnxPixelInput.Normalized) with { ClassNames = ["only", "three", "names"] };

        Action export = () => OnnxExport.Build(model, options);

        export.Should().Throw<ArgumentException>().WithMessage("*[1, 10]*expected [1, 3]*");
    }

    [Fact]
    public void Weights_of_another_architecture_are_a_mismatch_naming_the_key()
    {
        using var dir = new TempDirectory();
        using (Module<Tensor, Tensor> resnet = new ResNetFactory(20).Create(new ImageShape(1, 28, 28), 10))
        {
            ModelWeights.Save(resnet, dir.Combine("w.bin"));
        }

        Action export = () => OnnxExport.SaveWeights(dir.Combine("w.bin"), dir.Combine("m.onnx"), model: "cnn");

        export.Should().Throw<ModelWeightsMismatchException>();
        File.Exists(dir.Combine("m.onnx")).Should().BeFalse();
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_an_invalid_weights_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("m.onnx"), "not a model");

        Action open = () => OnnxClassifier.Open(dir.Combine("m.onnx"));

        open.Should().Throw<InvalidWeightsFileException>().Where(e => e.Message.Contains("m.onnx"));
    }

    static Tensor TorchSharpLogits(Module<Tensor, Tensor> model, Tensor raw, ImageNormalization normalization)
    {
        using var noGrad = no_grad();
        using Tensor input = normalization.Apply(raw);
        return model.call(input);
    }

    static OnnxExportOptions Options(string name, OnnxPixelInput pixels) =>
        new(name, new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames, ImageNormalization.FashionMnist) { Pixels = pixels };

    /// <summary>The default converters and the user's wrapper: a Flatten node, then the inner network.</summary>
    static OnnxConverters WithFlattenFirst() => OnnxConverters.CreateDefault()
        .Add<FlattenFirst>((g, m, x) => g.ConvertChild(m, "inner", g.Node("Flatten", [x], new Dictionary<string, object> { ["axis"] = 1L })));

    /// <summary>A user's wrapper: flattens the image and calls its inner network.</summary>
    sealed class FlattenFirst : Module<Tensor, Tensor>
    {
        readonly Module<Tensor, Tensor> inner;

        public FlattenFirst(Module<Tensor, Tensor> inner) : base(nameof(FlattenFirst))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => inner.call(input.flatten(1));
    }

    /// <summary>A user's own layer: doubles its input.</summary>
    sealed class Doubling() : Module<Tensor, Tensor>(nameof(Doubling))
    {
        public override Tensor forward(Tensor input) => input * 2;
    }
}
