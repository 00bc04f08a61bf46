using OnnxInference;

// Classifies Fashion-MNIST test images with an exported model through ML.NET:
//   fmb export runs/cnn --float-pixels --output cnn.onnx
//   dotnet run --project samples/OnnxInference -- cnn.onnx [data folder] [count]
if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("Usage: OnnxInference <model.onnx exported with --float-pixels> [data folder] [count]");
    return 2;
}
string dataDirectory = args.Length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
int count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;

using var classifier = new OnnxImageClassifier(args[0]);
(byte[][] images, byte[] labels) = TestImages.Read(dataDirectory, count);
int correct = 0;
for (int i = 0; i < images.Length; i++)
{
    (int label, float probability) = classifier.Classify(images[i]);
    if (label == labels[i]) correct++;
    if (i < 10) Console.WriteLine($"image {i}: {classifier.ClassNames[label]} ({probability:P1}), actually {classifier.ClassNames[labels[i]]}");
}
Console.WriteLine($"{correct} of {images.Length} test images right ({(double)correct / images.Length:P2}) through ML.NET");
return 0;
