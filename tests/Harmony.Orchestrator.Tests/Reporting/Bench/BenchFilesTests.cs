using System.Text.Json;
using System.Xml.Linq;
using Harmony.Orchestrator.Reporting.Bench;

namespace Harmony.Orchestrator.Tests.Reporting.Bench;

/// <summary>The Markdown, JSON and SVG files of one report written from the in-memory fixture results.</summary>
public sealed class BenchFilesTests : IDisposable
{
    private static readonly DateTimeOffset Generated = new(2026, 12, 6, 21, 30, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bench-report-");
    private readonly BenchReport _report;
    private readonly IReadOnlyList<string> _written;

    public BenchFilesTests()
    {
        _report = BenchReport.For(Path.Combine(_dir.FullName, "bench.json"));
        _written = _report.Write(BenchFixtures.Results(), Generated);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void The_file_names_follow_the_stem_whatever_the_extension_given()
    {
        Assert.Equal(BenchReport.For("out/x.md"), BenchReport.For("out/x.json"));
        Assert.Equal("out/x-throughput.svg", BenchReport.For("out/x").ThroughputChart);
        Assert.Equal([_report.Markdown, _report.Json, _report.ThroughputChart, _report.LatencyChart], _written);
        Assert.All(_written, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void Markdown_puts_the_pairs_side_by_side_with_their_baselines()
    {
        var text = File.ReadAllText(_report.Markdown);
        Assert.Contains("![bench-throughput](bench-throughput.svg)", text);
        Assert.Contains("## throughput", text);
        Assert.Contains("| scenario | step | role | frame | metric | csharp_python | python_cpp |", text);
        Assert.Contains("| 20.1 | 2 | writer | 64 KiB | gb_per_s ↑ | 4 (0.5× memcpy 8) | 7.2 (0.9× memcpy 8) |", text);
        Assert.Contains("| 20.2 | 1 | reader | 64 B | p50_us ↓ | 3 (0.25× sem-pingpong 12) |", text);
        // The latency table has only the pair that measured it.
        Assert.Contains("| scenario | step | role | frame | metric | csharp_python |\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("| 20.1 | 2 | writer | cpp | python_cpp | separate-process | throughput | 65536 | gb_per_s ↑ | 7.2 | memcpy | 8 | 0.9× |", text);
    }

    [Fact]
    public void Json_has_one_object_per_row_with_every_column()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(_report.Json));
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(12, rows.Count);
        var row = rows.Single(r => r.GetProperty("pair").GetString() == "python_cpp" && r.GetProperty("metric").GetString() == "gb_per_s"
                                   && r.GetProperty("frameBytes").GetInt64() == 1024);
        Assert.Equal(["scenarioId", "scenario", "step", "stepText", "role", "platform", "pair", "mode", "measurement", "frameBytes", "metric",
                      "value", "baselineName", "baselineValue", "ratio", "better", "stepPassed"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal("20.1", row.GetProperty("scenarioId").GetString());
        Assert.Equal(0.9, row.GetProperty("ratio").GetDouble(), 6);
        Assert.Equal("higher", row.GetProperty("better").GetString());
        var iterations = rows.Single(r => r.GetProperty("metric").GetString() == "iterations");
        Assert.Equal(JsonValueKind.Null, iterations.GetProperty("ratio").ValueKind);
        Assert.Equal(JsonValueKind.Null, iterations.GetProperty("baselineName").ValueKind);
        Assert.Equal("2026-12-06T21:30:00+00:00", document.RootElement.GetProperty("generated").GetString());
    }

    [Fact]
    public void The_charts_are_svg_with_a_series_per_pair_and_per_baseline()
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        var throughput = XDocument.Load(_report.ThroughputChart);
        Assert.Equal(svg + "svg", throughput.Root!.Name);
        var labels = throughput.Descendants(svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("csharp_python", labels);
        Assert.Contains("python_cpp", labels);
        Assert.Contains("memcpy", labels);
        Assert.Contains("64 KiB", labels);
        var latency = XDocument.Load(_report.LatencyChart).Descendants(svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("csharp_python", latency);
        Assert.Contains("sem-pingpong", latency);
        Assert.Contains("p99", latency);
        Assert.DoesNotContain("python_cpp", latency);
    }

    [Fact]
    public void A_run_without_measurements_writes_an_empty_report_and_no_chart()
    {
        var empty = BenchReport.For(Path.Combine(_dir.FullName, "bench.md"));
        Assert.Equal([empty.Markdown, empty.Json], empty.Write([], Generated));
        Assert.False(File.Exists(empty.ThroughputChart)); // the earlier chart of this stem is gone
        Assert.Contains("No step returned a benchmark measurement", File.ReadAllText(empty.Markdown));
        using var document = JsonDocument.Parse(File.ReadAllText(empty.Json));
        Assert.Empty(document.RootElement.GetProperty("rows").EnumerateArray());
    }
}
