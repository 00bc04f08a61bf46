namespace FashionMnist.Baselines.Data;

/// <summary>How far the download of one Fashion-MNIST file has come (reported through <see cref="FashionMnistOptions.DownloadProgress"/>).</summary>
/// <param name="File">The file being downloaded, for example <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The file's size when the server gives it, else null.</param>
public sealed record DownloadProgress(string File, long BytesReceived, long? TotalBytes);
