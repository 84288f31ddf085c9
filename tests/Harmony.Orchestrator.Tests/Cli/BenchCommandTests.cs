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
        var run = await harness.RunAsync("bench", "--iterations", "50", "--scenarios", "10", "--json", json);

        Assert.True(run.ExitCode == 0, run.Output);
        // One row per platform and measure: p50, p99, max, n.
        foreach (var platform in new[] { "csharp", "python" })
        {
            Assert.Matches($@"│ {platform}\s+│ health\s+│ [\d.]+\s+│ [\d.]+\s+│ [\d.]+\s+│ 50 ", run.Stdout);
            Assert.Matches($@"│ {platform}\s+│ executeStep ""the 'reader' process is ready""\s+│ [\d.]+\s+│ [\d.]+\s+│ [\d.]+\s+│ 50 ", run.Stdout);
            Assert.Matches($@"│ {platform}\s+│ executeStep, undefined step \(closest-pattern search\)\s+│ [\d.]+ ", run.Stdout);
            Assert.Matches($@"│ {platform}\s+│ scenario overhead, warm workers \(2 roles\)\s+│ [\d.]+\s+│ [\d.]+\s+│ [\d.]+\s+│ 10 ", run.Stdout);
        }
        Assert.Matches(@"features wall time \(csharp_csharp, separate-process\): [\d.]+ s for 1 case\(s\), 1 passed, 0 failed", run.Stdout);
        using var figures = JsonDocument.Parse(File.ReadAllText(json));
        var python = figures.RootElement.GetProperty("platforms").GetProperty("python");
        Assert.True(python.GetProperty("healthUs").GetProperty("p50").GetDouble() > 0);
        Assert.Equal(50, python.GetProperty("readyStepUs").GetProperty("n").GetInt32());
        Assert.True(python.GetProperty("readyStepUs").GetProperty("p99").GetDouble() >= python.GetProperty("readyStepUs").GetProperty("p50").GetDouble());
        Assert.Equal(1, figures.RootElement.GetProperty("featuresPassed").GetInt32());
        // The timed step really ran: the fake worker saw it (warm-up included) on both platforms.
        Assert.True(run.Requests("executeStep").Count(e => e.GetProperty("params").GetProperty("step").GetString() == "the 'reader' process is ready") > 100);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task A_platform_whose_worker_cannot_start_fails_the_bench_with_its_name_not_a_crash()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - A
                Given the 'reader' process succeeds
            """);
        harness.Commands["python"] = Path.Combine(harness.Root, "no-such-worker");

        var run = await harness.RunAsync("bench", "--iterations", "20", "--scenarios", "5", "--no-features");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bench: platform 'python': ", run.Stderr);
        Assert.Contains("no-such-worker", run.Stderr);
        Assert.DoesNotContain("Unhandled exception", run.Output);
        Assert.Matches(@"│ csharp\s+│ health\s+│ [\d.]+ ", run.Stdout);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }
}
