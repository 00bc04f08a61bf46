using System.Collections;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.PyTorch;
using FashionMnist.Baselines.Tests.Support;
using FashionMnist.Baselines.Training;
using FluentAssertions;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace FashionMnist.Baselines.Tests.PyTorch;

/// <summary>
/// Weights travel both ways between the library and PyTorch 1.13 (Debian's python3-torch) with the definitions of
/// python/fashion_mnist_baselines: files the library writes load with weights_only=True and strict=True and give the
/// same logits; a model trained in PyTorch and saved with torch.save gives, in the library, PyTorch's test predictions.
/// </summary>
public sealed class StateDictInterchangeTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    static readonly string Script = Repository.File("tests", "FashionMnist.Baselines.Tests", "PyTorch", "pytorch_side.py");

    public static TheoryData<string, StateDictFormat> ModelsAndFormats()
    {
        var cases = new TheoryData<string, StateDictFormat>();
        foreach (string name in new[] { "cnn", "resnet-20", "mobilenet-28", "wrn-16-4" })
        {
            cases.Add(name, StateDictFormat.PyTorch);
            cases.Add(name, StateDictFormat.Safetensors);
        }
        return cases;
    }

    [PythonTorchTheory]
    [MemberData(nameof(ModelsAndFormats))]
    public void A_file_the_library_writes_loads_strictly_in_pytorch_and_gives_the_same_logits(string name, StateDictFormat format)
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> model = RandomModels.Create(name);
        string weights = dir.Combine(format == StateDictFormat.PyTorch ? "model.pt" : "model.safetensors");
        StateDictFile.Save(model, weights, format);
        using Tensor images = ImageNormalization.FashionMnist.Apply(data.Test.Images.narrow(0, 0, 64));
        PyTorchPickler.PickleStateDict(dir.Combine("images.pt"), new Dictionary<string, Tensor> { ["images"] = images });

        (int exitCode, string output) = Python.Run([Script, "logits", name, weights, format == StateDictFormat.PyTorch ? "pytorch" : "safetensors",
            dir.Combine("images.pt"), dir.Combine("logits.pt")]);

        exitCode.Should().Be(0, output);
        Hashtable result = PyTorchUnpickler.UnpickleStateDict(dir.Combine("logits.pt"));
        using var pytorch = (Tensor)result["logits"]!;
        using Tensor expected = Logits(model, images);
        pytorch.shape.Should().Equal(64, 10);
        (pytorch - expected).abs().max().item<float>().Should().BeLessThan(1e-4f, $"{name}: PyTorch's logits against TorchSharp's");
    }

    [PythonTorchTheory]
    [InlineData("cnn", 0f, 1f)]
    [InlineData("resnet-20", 0.2860f, 0.3530f)]
    public void A_model_trained_in_pytorch_gives_pytorchs_test_predictions_in_the_library(string name, float mean, float std)
    {
        using var dir = new TempDirectory();
        (int exitCode, string output) = Python.Run([Script, "train", name, RealData.Directory, dir.Combine("trained.pt"), dir.Combine("predicted.pt")]);
        exitCode.Should().Be(0, output);
        double pytorchAccuracy = double.Parse(output.Split("accuracy ")[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var pytorchPredicted = (Tensor)PyTorchUnpickler.UnpickleStateDict(dir.Combine("predicted.pt"))["predicted"]!;

        var card = new ModelCard(name, new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames.ToArray(), [mean], [std]);
        using LoadedModel loaded = StateDictFile.LoadModel(dir.Combine("trained.pt"), StateDictFormat.PyTorch, card);
        using InMemoryDataset test = RealData.Load(FashionMnistPart.Test, card.Normalization);
        using Predictions predictions = new Trainer().Predict(loaded.Model, test);

        predictions.Predicted.data<long>().ToArray().Should().Equal(pytorchPredicted.data<long>().ToArray(), "every test image gets PyTorch's label");
        predictions.Accuracy.Should().BeApproximately(pytorchAccuracy, 0.00005, "PyTorch printed its accuracy to 4 digits");
        pytorchAccuracy.Should().BeGreaterThan(0.3, "well above chance (0.1): a model that learned something, or the comparison says little");
    }

    [PythonTorchFact]
    public void Every_registry_model_has_the_python_definitions_keys_shapes_and_types()
    {
        (int exitCode, string output) = Python.Run([Script, "keys", .. ModelRegistry.Names]);
        exitCode.Should().Be(0, output);
        using var json = System.Text.Json.JsonDocument.Parse(output);

        foreach (string name in ModelRegistry.Names)
        {
            string[] python = json.RootElement.GetProperty(name).EnumerateArray()
                .Select(e => $"{e[0].GetString()} [{string.Join(", ", e[1].EnumerateArray().Select(d => d.GetInt64()))}] {e[2].GetString()}").ToArray();
            using Module<Tensor, Tensor> model = ModelRegistry.Resolve(name).Create(new ImageShape(1, 28, 28), 10);
            string[] library = model.state_dict()
                .Select(e => $"{e.Key} [{string.Join(", ", e.Value.shape)}] {(e.Value.dtype == ScalarType.Float32 ? "float32" : e.Value.dtype == ScalarType.Int64 ? "int64" : e.Value.dtype.ToString())}").ToArray();
            // A state dict is a mapping: TorchSharp lists all parameters before the buffers, PyTorch module by module.
            python.Order(StringComparer.Ordinal).Should().Equal(library.Order(StringComparer.Ordinal), $"{name}: python/fashion_mnist_baselines/models.py against the library");
        }
    }

    [Theory]
    [InlineData(StateDictFormat.PyTorch)]
    [InlineData(StateDictFormat.Safetensors)]
    public void A_round_trip_keeps_every_parameter_and_buffer(StateDictFormat format)
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> saved = RandomModels.Create("resnet-20");
        string path = dir.Combine("m" + (format == StateDictFormat.PyTorch ? ".pt" : ".safetensors"));
        var card = new ModelCard("resnet-20", new ImageShape(1, 28, 28), FashionMnistFiles.ClassNames.ToArray(), [0.2860f], [0.3530f]);
        StateDictFile.Save(saved, path, format, card);

        using LoadedModel loaded = StateDictFile.LoadModel(path, StateDictFile.FormatOf(path));

        loaded.Card.Should().BeEquivalentTo(card);
        loaded.Model.training.Should().BeFalse();
        Dictionary<string, Tensor> expected = saved.state_dict();
        foreach ((string key, Tensor value) in loaded.Model.state_dict())
        {
            value.allclose(expected[key], 0, 0).Should().BeTrue(key);
        }
    }

    [Fact]
    public void Weights_of_another_architecture_name_the_key_and_leave_the_model_as_it_was()
    {
        using var dir = new TempDirectory();
        using (Module<Tensor, Tensor> resnet = RandomModels.Create("resnet-20")) StateDictFile.Save(resnet, dir.Combine("r.pt"), StateDictFormat.PyTorch);
        using Module<Tensor, Tensor> cnn = RandomModels.Create("cnn");
        using Tensor before = cnn.state_dict()["features.conv1.weight"].clone();

        Action load = () => StateDictFile.Load(cnn, dir.Combine("r.pt"), StateDictFormat.PyTorch);

        load.Should().Throw<ModelWeightsMismatchException>().WithMessage("*features.conv1.weight*missing*");
        cnn.state_dict()["features.conv1.weight"].allclose(before, 0, 0).Should().BeTrue("nothing is half-loaded");
    }

    [Fact]
    public void A_missing_key_an_extra_key_and_a_wrong_shape_are_each_named()
    {
        using var dir = new TempDirectory();
        using Module<Tensor, Tensor> cnn = RandomModels.Create("cnn");
        Dictionary<string, Tensor> Entries() => cnn.state_dict().ToDictionary(e => e.Key, e => e.Value);

        Dictionary<string, Tensor> missing = Entries();
        missing.Remove("classifier.bn.num_batches_tracked");
        Dictionary<string, Tensor> extra = Entries();
        extra["classifier.dense3.weight"] = zeros(2, 2);
        Dictionary<string, Tensor> shape = Entries();
        shape["classifier.dense2.weight"] = zeros(9, 128);

        foreach ((string file, Dictionary<string, Tensor> entries, string expected) in new[]
        {
            ("missing.pt", missing, "*classifier.bn.num_batches_tracked*missing*"),
            ("extra.pt", extra, "*classifier.dense3.weight*not in the model*"),
            ("shape.pt", shape, "*classifier.dense2.weight*[9, 128]*[10, 128]*"),
        })
        {
            // A new file each time: PyBridge 1.4.4's PickleStateDict(path) does not truncate a longer existing file.
            PyTorchPickler.PickleStateDict(dir.Combine(file), entries);
            Action load = () => StateDictFile.Load(cnn, dir.Combine(file), StateDictFormat.PyTorch);
            load.Should().Throw<ModelWeightsMismatchException>().WithMessage(expected);
        }
    }

    [Theory]
    [InlineData("m.pt", StateDictFormat.PyTorch)]
    [InlineData("m.safetensors", StateDictFormat.Safetensors)]
    public void A_file_that_is_not_a_state_dict_is_an_invalid_weights_file(string file, StateDictFormat format)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine(file), "not a state dict");
        using Module<Tensor, Tensor> cnn = RandomModels.Create("cnn");

        Action load = () => StateDictFile.Load(cnn, dir.Combine(file), format);

        load.Should().Throw<InvalidWeightsFileException>().Where(e => e.Message.Contains(file));
    }

    [Fact]
    public void An_unknown_extension_names_the_formats()
    {
        Action format = () => StateDictFile.FormatOf("weights.ckpt");

        format.Should().Throw<ArgumentException>().WithMessage("*.ckpt*.pt*.safetensors*");
    }

    static Tensor Logits(Module<Tensor, Tensor> model, Tensor images)
    {
        using var noGrad = no_grad();
        return model.call(images);
    }
}
