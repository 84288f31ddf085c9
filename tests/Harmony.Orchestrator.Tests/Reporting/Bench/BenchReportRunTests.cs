using System.Text.Json;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Reporting.Bench;

/// <summary><c>--bench-report</c> end to end: @benchmark scenarios on fake workers, every pair of three platforms.</summary>
[Collection(Execution.ProcessTests.Name)]
public class BenchReportRunTests
{
    private const string Feature = """
        @benchmark
        Feature: Bench
          Scenario: Test 20.1 - Throughput
            Given the 'reader' process is ready
            When the 'writer' process benchmarks throughput at '1024' bytes
            And the 'writer' process benchmarks throughput at '1048576' bytes
          Scenario: Test 20.2 - Latency
            Given the 'writer' process is ready
            Then the 'reader' process benchmarks latency at '64' bytes
        """;

    [Fact]
    public async Task Bench_report_writes_the_table_json_and_charts_for_every_pair()
    {
        using var harness = new HarmonyHarness("csharp", "python", "cpp");
        harness.Feature("20-bench", Feature);
        var report = Path.Combine(harness.Root, "out", "bench.md");

        var outcome = await harness.RunAsync("all", "--bench", "--parallel", "2", "--bench-report", report);

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.Contains("benchmark report written to " + report, outcome.Stdout);
        Assert.Contains("harmony: 18 test case(s)", outcome.Stdout);
        Assert.Contains("throughput 1 MiB [writer/python] step 3: gb_per_s 4.2 (0.4× memcpy 10.5 ↑), frames_per_s 4005 (0.4× memcpy 10014 ↑), cpu_pct 99.5",
            outcome.Stdout);
        var markdown = File.ReadAllText(report);
        var pairs = new[] { "cpp", "csharp", "python" }.SelectMany(r => new[] { "cpp", "csharp", "python" }, (r, w) => $"{r}_{w}").ToList();
        Assert.Contains($"| scenario | step | role | frame | metric | {string.Join(" | ", pairs)} |", markdown);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(harness.Root, "out", "bench.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        // 9 pairs x (2 throughput steps x 3 metrics + 1 latency step x 5 metrics).
        Assert.Equal(9 * (2 * 3 + 5), rows.Count);
        Assert.True(File.Exists(Path.Combine(harness.Root, "out", "bench-throughput.svg")));
        Assert.True(File.Exists(Path.Combine(harness.Root, "out", "bench-latency.svg")));
    }

    [Fact]
    public async Task An_unwritable_bench_report_is_a_usage_error_before_anything_runs()
    {
        using var harness = new HarmonyHarness();
        harness.Feature("20-bench", Feature);
        Directory.CreateDirectory(Path.Combine(harness.Root, "taken.json"));

        var outcome = await harness.RunAsync("all", "--bench", "--bench-report", Path.Combine(harness.Root, "taken"));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("cannot write the benchmark report", outcome.Stderr);
        Assert.Empty(outcome.Requests("executeStep"));
    }
}
