using System.Text.Json;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Reporting.Bench;

/// <summary>Results of two @benchmark scenarios (throughput at two sizes, latency) in two pairs, built in memory.</summary>
internal static class BenchFixtures
{
    public static readonly RoutedScenario[] Routed = StepRouter.RouteAll(FeatureText.Scenarios("""
        @benchmark
        Feature: Bench
          Scenario: Test 20.1 - Throughput
            Given the 'writer' process benchmarks throughput at '1024' bytes
            And the 'writer' process benchmarks throughput at '65536' bytes
          Scenario: Test 20.2 - Latency
            Given the 'reader' process benchmarks latency at '64' bytes
          Scenario: Test 20.3 - Barrier
            Given the 'reader' process benchmarks barrier
        """)).ToArray();

    public static WorkerMetrics Metrics(string role, string platform, string measurement, string? baselineName, string metrics, string? baseline = null) =>
        new(role, platform, JsonDocument.Parse(metrics).RootElement.Clone(), baseline is null ? null : JsonDocument.Parse(baseline).RootElement.Clone())
        {
            Measurement = measurement,
            BaselineName = baselineName,
        };

    public static ScenarioResult Result(int scenario, string reader, string writer, params WorkerMetrics[][] perStep)
    {
        var routed = Routed[scenario];
        var testCase = new TestCase(routed, new Combination(["reader", "writer"], [reader, writer]), RunMode.SeparateProcess, null);
        var steps = routed.Steps.Select((s, i) => new StepRecord(s, Outcome.Passed, TimeSpan.FromMilliseconds(5), i < perStep.Length ? perStep[i] : [])).ToList();
        return new ScenarioResult(testCase, Outcome.Passed, TimeSpan.FromSeconds(1), "h0", null, [], [], steps);
    }

    /// <summary>csharp_python and python_cpp: the writer (python, cpp) reaches 0.5 and 0.9 of memcpy.</summary>
    public static IReadOnlyList<ScenarioResult> Results() =>
    [
        Result(0, "csharp", "python",
            [Metrics("writer", "python", "throughput", "memcpy", """{"frame_bytes":1024,"gb_per_s":1.0,"cpu_pct":99}""", """{"frame_bytes":1024,"gb_per_s":2.0}""")],
            [Metrics("writer", "python", "throughput", "memcpy", """{"frame_bytes":65536,"gb_per_s":4.0,"cpu_pct":98}""", """{"frame_bytes":65536,"gb_per_s":8.0}""")]),
        Result(0, "python", "cpp",
            [Metrics("writer", "cpp", "throughput", "memcpy", """{"frame_bytes":1024,"gb_per_s":1.8,"cpu_pct":99}""", """{"frame_bytes":1024,"gb_per_s":2.0}""")],
            [Metrics("writer", "cpp", "throughput", "memcpy", """{"frame_bytes":65536,"gb_per_s":7.2,"cpu_pct":97}""", """{"frame_bytes":65536,"gb_per_s":8.0}""")]),
        Result(1, "csharp", "python",
            [Metrics("reader", "csharp", "latency", "sem-pingpong",
                """{"frame_bytes":64,"iterations":1000,"p50_us":3.0,"p99_us":6.0}""", """{"frame_bytes":64,"p50_us":12.0,"p99_us":24.0}""")]),
        Result(2, "csharp", "python",
            [Metrics("reader", "csharp", "barrier", "no-barrier", """{"ns_per_barrier":20.0}""", """{"ns_per_op":5.0}""")]),
    ];
}
