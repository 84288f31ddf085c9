using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting.Bench;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Reporting.Bench;

public class BenchTableTests
{
    private static readonly IReadOnlyList<BenchRow> Rows = BenchTable.From(BenchFixtures.Results());

    [Fact]
    public void One_row_per_metric_and_combination_with_the_frame_size_as_a_column()
    {
        // Throughput: 2 pairs x 2 sizes x (gb_per_s, cpu_pct); latency: iterations, p50, p99; barrier: one.
        Assert.Equal(8 + 3 + 1, Rows.Count);
        Assert.DoesNotContain(Rows, r => r.Metric == BenchTable.FrameBytes);
        var row = Rows.Single(r => r.Pair == "python_cpp" && r.FrameBytes == 65536 && r.Metric == "gb_per_s");
        Assert.Equal(("20.1", 2, "writer", "cpp", "separate-process", "throughput"), (row.ScenarioId, row.Step, row.Role, row.Platform, row.Mode, row.Measurement));
        Assert.Equal(("memcpy", 8.0, 7.2), (row.BaselineName, row.BaselineValue, row.Value));
        Assert.Equal(0.9, row.Ratio!.Value, 6);
        Assert.Equal(Better.Higher, row.Better);
    }

    [Fact]
    public void Time_like_metrics_are_metric_over_baseline_and_lower_is_better()
    {
        var p50 = Rows.Single(r => r.Metric == "p50_us");
        Assert.Equal(0.25, p50.Ratio!.Value, 6);
        Assert.Equal(Better.Lower, p50.Better);
        // No baseline number of that name: no ratio, no baseline name.
        var iterations = Rows.Single(r => r.Metric == "iterations");
        Assert.Null(iterations.Ratio);
        Assert.Null(iterations.BaselineName);
        Assert.Null(Rows.Single(r => r.Metric == "cpu_pct" && r.Pair == "csharp_python" && r.FrameBytes == 1024).Ratio);
    }

    [Fact]
    public void A_baseline_of_other_names_pairs_the_one_number_of_the_same_unit()
    {
        var barrier = Rows.Single(r => r.Measurement == "barrier");
        Assert.Equal(("no-barrier", 5.0, 4.0), (barrier.BaselineName, barrier.BaselineValue, barrier.Ratio));
        // Percentiles never stand in for each other: p90 has no p90 baseline, and the baseline shares names.
        Assert.Null(BenchTable.BaselineFor("p90_us", new Dictionary<string, double> { ["p50_us"] = 1, ["p90_us"] = 2 },
            new Dictionary<string, double> { ["p50_us"] = 1 }));
    }

    [Fact]
    public void Metrics_of_a_scenario_that_is_no_benchmark_and_names_no_measurement_stay_out()
    {
        var plain = BenchFixtures.Metrics("writer", "python", "x", null, """{"p50_us":1}""") with { Measurement = null };
        var routed = StepRouter.RouteAll(FeatureText.Scenarios("""
            Feature: Plain
              Scenario: Test 1.1 - Not a benchmark
                Given the 'writer' process measures
            """)).Single();
        var testCase = new TestCase(routed,
            new Combination(["writer"], ["python"]), RunMode.SeparateProcess, null);
        var result = new ScenarioResult(testCase, Outcome.Passed, TimeSpan.Zero, null, null, [], [],
            [new(routed.Steps[0], Outcome.Passed, TimeSpan.Zero, [plain])]);
        Assert.Empty(BenchTable.From([result]));
        Assert.Single(BenchTable.From([result with { Steps = [result.Steps[0] with { Metrics = [plain with { Measurement = "latency" }] }] }]));
    }

    [Theory]
    [InlineData(80000.0, "80000")]
    [InlineData(8.123, "8.12")]
    [InlineData(12.34, "12.3")]
    [InlineData(0.04512, "0.045")]
    [InlineData(0.0004, "0.0004")]
    public void Numbers_keep_three_significant_digits_without_an_exponent(double value, string text) =>
        Assert.Equal(text, BenchFormat.Number(value));

    [Fact]
    public void The_console_line_names_the_measurement_size_and_each_ratio()
    {
        var metrics = BenchFixtures.Metrics("writer", "cpp", "throughput", "memcpy",
            """{"frame_bytes":65536,"gb_per_s":7.2,"cpu_pct":97}""", """{"frame_bytes":65536,"gb_per_s":8.0}""");
        Assert.Equal("throughput 64 KiB [writer/cpp] step 2: gb_per_s 7.2 (0.9× memcpy 8 ↑), cpu_pct 97", BenchFormat.ConsoleLine(2, metrics));
    }
}
