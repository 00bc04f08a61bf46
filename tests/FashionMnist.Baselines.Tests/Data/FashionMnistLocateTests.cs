using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using FashionMnist.Baselines.Data;
using FashionMnist.Baselines.Tests.Support;
using FluentAssertions;
using Xunit;


namespace FashionMnist.Baselines.Tests.Data;

public sealed class FashionMnistLocateTests : IDisposable
{
    readonly TempDirectory _root = new();
    readonly Dictionary<string, string?> _environment = new();

    public void Dispose() => _root.Dispose();

    string Folder(string name) => _root.Combine(name);

    FashionMnistOptions Options(bool allowDownload = false) => new()
    {
        AllowDownload = allowDownload,
        GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
        SystemDirectory = Folder("system"),
    };

    [Fact]
    public void Search_order_is_explicit_then_variable_then_cache_then_system()
    {
        foreach (string name in new[] { "explicit", "variable", "cache/fashion-mnist", "system" })
        {
            IdxWriter.WriteAllFour(Folder(name));
        }
        _environment["FASHION_MNIST_DIR"] = Folder("variable");
        _environment["XDG_CACHE_HOME"] = Folder("cache");

        FashionMnistDataset.Locate(Options() with { DataDirectory = Folder("explicit") }).Should().Be(Folder("explicit"));
        FashionMnistDataset.Locate(Options()).Should().Be(Folder("variable"));
        _environment.Remove("FASHION_MNIST_DIR");
        FashionMnistDataset.Locate(Options()).Should().Be(Folder("cache/fashion-mnist"));
        Directory.Delete(Folder("cache"), recursive: true);
        FashionMnistDataset.Locate(Options()).Should().Be(Folder("system"));
    }

    [Fact]
    public void Without_XDG_CACHE_HOME_the_cache_is_under_HOME()
    {
        IdxWriter.WriteAllFour(Folder("home/.cache/fashion-mnist"));
        _environment["HOME"] = Folder("home");

        FashionMnistDataset.Locate(Options()).Should().Be(Folder("home/.cache/fashion-mnist"));
    }

    [Fact]
    public void Raw_idx_files_are_found_as_well_as_gz()
    {
        IdxWriter.WritePair(Folder("raw"), "train", 10, gzip: false);
        IdxWriter.WritePair(Folder("raw"), "t10k", 10, gzip: false);

        FashionMnistDataset.Locate(Options() with { DataDirectory = Folder("raw") }).Should().Be(Folder("raw"));
    }

    [Fact]
    public void An_explicit_directory_without_the_files_fails_without_falling_back()
    {
        IdxWriter.WriteAllFour(Folder("system"));
        IdxWriter.WritePair(Folder("partial"), "train", 10);

        var act = () => FashionMnistDataset.Locate(Options() with { DataDirectory = Folder("partial") });

        act.Should().Throw<FashionMnistNotFoundException>()
            .WithMessage($"*{Folder("partial")} (the DataDirectory option): lacks t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]*");
    }

    [Fact]
    public void When_nothing_is_found_the_error_lists_every_place_and_every_fix()
    {
        _environment["XDG_CACHE_HOME"] = Folder("cache");

        var act = () => FashionMnistDataset.Locate(Options());

        var error = act.Should().Throw<FashionMnistNotFoundException>().Which;
        error.PlacesSearched.Should().HaveCount(2);
        error.Message.Should().Contain(Folder("cache/fashion-mnist")).And.Contain(Folder("system"))
            .And.Contain("apt-get install dataset-fashion-mnist").And.Contain("FASHION_MNIST_DIR").And.Contain("AllowDownload");
    }

    [Fact]
    public void Load_rejects_files_that_are_not_the_official_size()
    {
        IdxWriter.WriteAllFour(Folder("small"), count: 30);

        var act = () => FashionMnistDataset.Load(FashionMnistPart.Test, Options() with { DataDirectory = Folder("small") });

        act.Should().Throw<IdxFormatException>().WithMessage("*holds 30 images; the Fashion-MNIST Test set has 10000*");
    }

    [Fact]
    public void Download_fills_the_cache_after_checking_each_md5()
    {
        IdxWriter.WriteAllFour(Folder("served"));
        _environment["XDG_CACHE_HOME"] = Folder("cache");
        using var server = new FileServer(Folder("served"));
        var reports = new List<DownloadProgress>();

        string found = FashionMnistDataset.Locate(Options(allowDownload: true) with
        {
            DownloadBaseUri = server.BaseUri,
            DownloadMd5 = Md5Of(Folder("served")),
            DownloadSha256 = Sha256Of(Folder("served")),
            DownloadProgress = new ListProgress(reports),
        });

        found.Should().Be(Folder("cache/fashion-mnist"));
        Directory.GetFiles(found).Select(Path.GetFileName).Should().BeEquivalentTo(FashionMnistFiles.All.Select(n => n + ".gz"));
        foreach (string name in FashionMnistFiles.All)
        {
            File.ReadAllBytes(Path.Combine(found, name + ".gz")).Should().Equal(File.ReadAllBytes(_root.Combine("served", name + ".gz")));
            long size = new FileInfo(_root.Combine("served", name + ".gz")).Length;
            List<DownloadProgress> file = reports.Where(r => r.File == name + ".gz").ToList();
            file[0].BytesReceived.Should().Be(0, "the start of each transfer is reported");
            file.Select(r => r.BytesReceived).Should().BeInAscendingOrder();
            file[^1].Should().Be(new DownloadProgress(name + ".gz", size, size));
        }
    }

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
    sealed class ListProgress(List<DownloadProgress> reports) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => reports.Add(value);
    }

    [Fact]
    public void A_download_with_the_wrong_sha256_is_refused_by_name_and_leaves_nothing_behind()
    {
        IdxWriter.WriteAllFour(Folder("served"));
        _environment["XDG_CACHE_HOME"] = Folder("cache");
        using var server = new FileServer(Folder("served"));

        var act = () => FashionMnistDataset.Locate(Options(allowDownload: true) with { DownloadBaseUri = server.BaseUri });

        act.Should().Throw<FashionMnistNotFoundException>()
            .WithMessage("*download*failed*train-images-idx3-ubyte.gz has SHA-256*the official train-images-idx3-ubyte.gz has 08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc*")
            .Which.InnerException.Should().BeOfType<InvalidDataException>();
        Directory.GetFiles(Folder("cache/fashion-mnist")).Should().BeEmpty("a file that fails its check is never kept, under any name");
    }

    [Fact]
    public void Every_downloaded_file_is_checked_not_only_the_first()
    {
        // The first three files match; only the last one is wrong, so a downloader that checked fewer would pass it.
        IdxWriter.WriteAllFour(Folder("served"));
        _environment["XDG_CACHE_HOME"] = Folder("cache");
        using var server = new FileServer(Folder("served"));
        Dictionary<string, string> md5 = Md5Of(Folder("served"));
        string last = FashionMnistFiles.All[^1];
        string expected = md5[last];
        md5[last] = new string('0', 32);

        var act = () => FashionMnistDataset.Locate(Options(allowDownload: true) with
        {
            DownloadBaseUri = server.BaseUri, DownloadMd5 = md5, DownloadSha256 = Sha256Of(Folder("served")),
        });

        act.Should().Throw<FashionMnistNotFoundException>().WithMessage($"*has MD5 {expected}*the official {last}.gz has {md5[last]}*",
            "the published MD5 stays a cross-check after SHA-256");
        Directory.GetFiles(Folder("cache/fashion-mnist")).Select(Path.GetFileName).Should().NotContain(n => n!.StartsWith(last, StringComparison.Ordinal),
            "the file that fails its check is never kept, under any name");
    }

    [Fact]
    public void A_failed_download_is_reported_with_the_places_searched()
    {
        _environment["XDG_CACHE_HOME"] = Folder("cache");
        Directory.CreateDirectory(Folder("empty"));
        using var server = new FileServer(Folder("empty"));

        var act = () => FashionMnistDataset.Locate(Options(allowDownload: true) with { DownloadBaseUri = server.BaseUri });

        act.Should().Throw<FashionMnistNotFoundException>().WithMessage("*Searched:*The download from http://127.0.0.1*failed*404*");
    }

    [Fact]
    public void A_served_file_whose_sha256_differs_is_refused_even_when_its_md5_matches()
    {
        IdxWriter.WriteAllFour(Folder("served"));
        _environment["XDG_CACHE_HOME"] = Folder("cache");
        using var server = new FileServer(Folder("served"));
        Dictionary<string, string> sha = Sha256Of(Folder("served"));
        string last = FashionMnistFiles.All[^1];
        sha[last] = new string('0', 64);

        var act = () => FashionMnistDataset.Locate(Options(allowDownload: true) with
        {
            DownloadBaseUri = server.BaseUri, DownloadMd5 = Md5Of(Folder("served")), DownloadSha256 = sha,
        });

        act.Should().Throw<FashionMnistNotFoundException>().WithMessage($"*{last}.gz has SHA-256 *the official {last}.gz has {sha[last]}*");
        Directory.GetFiles(Folder("cache/fashion-mnist")).Select(Path.GetFileName).Should().NotContain(n => n!.StartsWith(last, StringComparison.Ordinal),
            "a refused file is never renamed into the cache");
    }

    static Dictionary<string, string> Sha256Of(string folder) => FashionMnistFiles.All.ToDictionary(
        name => name,
        name => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name + ".gz")))).ToLowerInvariant());

    static Dictionary<string, string> Md5Of(string folder) => FashionMnistFiles.All.ToDictionary(
        name => name,
        name => Convert.ToHexString(MD5.HashData(File.ReadAllBytes(Path.Combine(folder, name + ".gz")))).ToLowerInvariant());

    /// <summary>Serves the files of a folder on 127.0.0.1 (404 for anything else) until disposed.</summary>
    sealed class FileServer : IDisposable
    {
        readonly HttpListener _listener = new();
        readonly Task _loop;

        public FileServer(string folder)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            BaseUri = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseUri.ToString());
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    string path = Path.Combine(folder, context.Request.Url!.AbsolutePath.TrimStart('/'));
                    if (File.Exists(path))
                    {
                        byte[] body = await File.ReadAllBytesAsync(path);
                        context.Response.ContentLength64 = body.Length;
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
            });
        }

        public Uri BaseUri { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
