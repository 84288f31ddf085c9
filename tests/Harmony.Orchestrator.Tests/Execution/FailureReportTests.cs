using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>What a run reports about leaks and failures (issue 14 §1.10).</summary>
[Collection(ProcessTests.Name)]
public class FailureReportTests
{
    private static string LeakPath(HarmonyOutcome run, string role) =>
        $"/dev/shm/{run.Requests("initialize").First().GetProperty("params").GetProperty("runId").GetString()}-leak-{role}";

    [Theory]
    [InlineData("separate-process", "csharp_python")]
    [InlineData("same-process", "csharp_csharp")]
    public async Task A_leak_of_a_role_the_scenario_killed_is_swept_without_a_warning(string mode, string pair)
    {
        using var harness = new HarmonyHarness().Feature("02-kill", """
            Feature: Kill
              Scenario: Test 2.2 - The owner dies
                Given the 'reader' process leaks a shared memory object
                When the 'reader' process is killed
                Then the 'writer' process succeeds
            """);
        var run = await harness.RunAsync(pair, "--mode", mode);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("⚠", run.Stdout);
        Assert.DoesNotContain("leaked resource", run.Stdout);
        Assert.False(File.Exists(LeakPath(run, "reader")));
    }

    [Fact]
    public async Task A_worker_log_line_is_printed_once_not_again_as_its_stderr_copy()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Fails
                When the 'writer' process fails with '3 frames'
            """);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(Regex.Matches(run.Stdout, "the fake worker failed on purpose"));
        // A stderr line that is no log entry is still shown.
        Assert.Contains("stderr: fake[", run.Stdout);
        Assert.Contains("about to fail: 3 frames", run.Stdout);
    }

    [Fact]
    public async Task JUnit_system_out_is_in_time_order_across_workers()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Both log
                Given the 'reader' process succeeds
                And the 'writer' process succeeds
                When every process logs '3' lines '400' ms apart
            """);
        var junit = Path.Combine(harness.Root, "out.xml");
        var run = await harness.RunAsync("csharp_python", "--junit", junit);

        Assert.Equal(0, run.ExitCode);
        var output = XDocument.Load(junit).Descendants("system-out").Single().Value;
        var indexes = Regex.Matches(output, @"line (\d) of (reader|writer)").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(6, indexes.Count);
        // By worker it would be 0 1 2 0 1 2; in time order both workers' line 0 come before any line 1.
        Assert.Equal([0, 0, 1, 1, 2, 2], indexes);
    }

    [Fact]
    public async Task An_outline_row_failure_points_at_the_row_line()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario Outline: Test 1.1 - Rows
                When the 'writer' process <does>

                Examples:
                  | does                     |
                  | succeeds                 |
                  | fails with 'row three'   |
            """);
        var junit = Path.Combine(harness.Root, "out.xml");
        var run = await harness.RunAsync("csharp_python", "--junit", junit);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("01-fake.feature:8, example row; outline step at line 3)", run.Stdout);
        var failure = XDocument.Load(junit).Descendants("failure").Single();
        Assert.Contains("01-fake.feature:8, example row", failure.Attribute("message")!.Value);
    }
}
