using System.Text.Json;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Cli;

/// <summary>The hidden <c>harmony bench</c> command keeps working (figures are not asserted: this is not a timed test).</summary>
[Collection(Execution.ProcessTests.Name)]
public class BenchCommandTests
{
    [Fact]
    public async Task Bench_reports_round_trip_and_scenario_percentiles()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - A
                Given the 'reader' process succeeds
                And the 'writer' process succeeds
            """);
        var json = Path.Combine(harness.Root, "bench.json");
        var run = await harness.RunAsync("bench", "--platform", "csharp", "--iterations", "50", "--scenarios", "10", "--json", json);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"health round trip: p50 [\d.]+ µs, p99 [\d.]+ µs", run.Stdout);
        Assert.Matches(@"executeStep round trip \(undefined step\): p50 [\d.]+ µs", run.Stdout);
        Assert.Matches(@"scenario overhead, warm workers \(2 roles\): p50 [\d.]+ µs", run.Stdout);
        Assert.Matches(@"features wall time \(csharp_csharp, separate-process\): [\d.]+ s for 1 case\(s\), 1 passed, 0 failed", run.Stdout);
        using var figures = JsonDocument.Parse(File.ReadAllText(json));
        Assert.True(figures.RootElement.GetProperty("healthUs").GetProperty("p50").GetDouble() > 0);
        Assert.Equal(1, figures.RootElement.GetProperty("featuresPassed").GetInt32());
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }
}
