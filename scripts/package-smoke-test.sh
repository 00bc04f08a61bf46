#!/usr/bin/env bash
# Packs every library package (FashionMnist.Baselines, .Plots, .Onnx, .PyTorch, .Imaging, .Pretrained), then builds and
# runs a new console app that references them from a local folder (plus TorchSharp-cpu and ONNX Runtime's native
# package), trains one short epoch on a subset, exports the model to ONNX and evaluates the file through ONNX Runtime,
# round-trips it through a PyTorch state dict, and classifies a test image with the published ResNet-20.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet pack src/FashionMnist.Baselines -c Release -o "$work/feed"
dotnet pack src/FashionMnist.Baselines.Plots -c Release -o "$work/feed"
dotnet pack src/FashionMnist.Baselines.Onnx -c Release -o "$work/feed"
dotnet pack src/FashionMnist.Baselines.PyTorch -c Release -o "$work/feed"
dotnet pack src/FashionMnist.Baselines.Imaging -c Release -o "$work/feed"
dotnet pack src/FashionMnist.Baselines.Pretrained -c Release -o "$work/feed"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)

mkdir -p "$work/app"
cd "$work/app"
cat > nuget.config <<XML
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > app.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <RestorePackagesPath>$work/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="FashionMnist.Baselines" Version="$version" />
    <PackageReference Include="FashionMnist.Baselines.Plots" Version="$version" />
    <PackageReference Include="FashionMnist.Baselines.Onnx" Version="$version" />
    <PackageReference Include="FashionMnist.Baselines.PyTorch" Version="$version" />
    <PackageReference Include="FashionMnist.Baselines.Imaging" Version="$version" />
    <PackageReference Include="FashionMnist.Baselines.Pretrained" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
    <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Metrics;
using FashionMnist.Baselines.Models;
using FashionMnist.Baselines.Imaging;
using FashionMnist.Baselines.Onnx;
using FashionMnist.Baselines.Plots;
using FashionMnist.Baselines.Pretrained;
using FashionMnist.Baselines.PyTorch;
using FashionMnist.Baselines.Training;

using InMemoryDataset all = FashionMnistDataset.Load(FashionMnistPart.Train, new FashionMnistOptions { AllowDownload = false });
using InMemoryDataset test = FashionMnistDataset.Load(FashionMnistPart.Test, new FashionMnistOptions { AllowDownload = false });
(InMemoryDataset train, InMemoryDataset validation) = all.Take(3_000).SplitStratified(500, seed: 1);
using TrainedModel cnn = new Trainer().Fit(new CnnFactory(), train, validation, new TrainerOptions { Epochs = 1, Optimizer = OptimizerSettings.Adam() });
EvaluationResult result = new Trainer().Evaluate(cnn.Model, test);
LearningCurvePlot.Save(cnn.History, "accuracy", "accuracy.png", "smoke test");
Console.WriteLine($"package smoke test: test accuracy {result.Accuracy:F4} after one epoch on 2,500 images");
if (result.Accuracy < 0.5 || !File.Exists("accuracy.png")) return 1;
OnnxExport.Save(cnn.Model, OnnxExportOptions.For(ModelCard.For("cnn", train)) with { Pixels = OnnxPixelInput.Bytes }, "cnn.onnx");
using OnnxClassifier onnx = OnnxClassifier.Open("cnn.onnx");
using Predictions onnxPredictions = onnx.Predict(test);
Console.WriteLine($"package smoke test: the ONNX export through ONNX Runtime: test accuracy {onnxPredictions.Accuracy:F4}");
if (Math.Abs(onnxPredictions.Accuracy - result.Accuracy) > 0.002) return 1;
StateDictFile.Save(cnn.Model, "cnn.pt", StateDictFormat.PyTorch, ModelCard.For("cnn", train));
using LoadedModel fromPyTorch = StateDictFile.LoadModel("cnn.pt", StateDictFormat.PyTorch);
double roundTrip = new Trainer().Evaluate(fromPyTorch.Model, test).Accuracy;
Console.WriteLine($"package smoke test: the PyTorch state dict loaded back: test accuracy {roundTrip:F4}");
if (roundTrip != result.Accuracy) return 1;
using var classifier = new ImageClassifier(PretrainedWeights.ResNet20.Load());
ImageClassification first = classifier.Classify([test.Images[0].flatten().data<byte>().ToArray()])[0];
Console.WriteLine($"package smoke test: the published ResNet-20 says test image 0 is {first.Best.ClassName} ({first.Best.Probability:P1})");
if (first.Best.ClassName != "Ankle boot") return 1;
return 0;
CS
dotnet run -c Release
