using FashionMnist.Baselines.Cli;
using FashionMnist.Baselines.Data;
using FluentAssertions;
using Xunit;

namespace FashionMnist.Baselines.Tests.Samples;

/// <summary>The CLI's lines for the library's download progress.</summary>
public sealed class DownloadDisplayTests
{
    [Fact]
    public void A_file_of_known_size_gets_a_start_line_a_line_per_quarter_and_an_end_line()
    {
        var output = new StringWriter();
        var display = new DownloadDisplay(output);

        foreach (long bytes in new long[] { 0, 1_200_000, 1_500_000, 2_400_000, 3_100_000, 4_000_000 })
        {
            display.Report(new DownloadProgress("a.gz", bytes, 4_000_000));
        }

        Lines(output).Should().Equal(
            "Downloading a.gz (4.0 MB)",
            "  a.gz: 1.2 MB (30%)",
            "  a.gz: 2.4 MB (60%)",
            "  a.gz: 3.1 MB (77%)",
            "Downloaded a.gz: 4.0 MB");
    }

    [Fact]
    public void A_file_of_unknown_size_gets_a_line_every_8_MiB_and_the_next_file_starts_afresh()
    {
        var output = new StringWriter();
        var display = new DownloadDisplay(output);

        foreach (long bytes in new long[] { 0, 5_000_000, 9_000_000, 12_000_000, 17_000_000 })
        {
            display.Report(new DownloadProgress("b.gz", bytes, null));
        }
        display.Report(new DownloadProgress("c.gz", 0, 1_000));
        display.Report(new DownloadProgress("c.gz", 1_000, 1_000));

        Lines(output).Should().Equal(
            "Downloading b.gz (size unknown)",
            "  b.gz: 9.0 MB",
            "  b.gz: 17.0 MB",
            "Downloading c.gz (0.0 MB)",
            "Downloaded c.gz: 0.0 MB");
    }

    static string[] Lines(StringWriter output) =>
        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
