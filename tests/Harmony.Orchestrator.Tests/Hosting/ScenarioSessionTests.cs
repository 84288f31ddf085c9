using System.Text.RegularExpressions;
using Harmony.Orchestrator.Hosting;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Tests.Execution;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Hosting;

/// <summary>ScenarioSession (the engine behind tests/Harmony.Scenarios) against the scripted fake worker.</summary>
[Collection(ProcessTests.Name)]
public class ScenarioSessionTests
{
    private const string Feature = """
        Feature: Session
          Scenario: Test 1.1 - Frames go missing
            Given the 'reader' process succeeds
            When the 'writer' process fails with 'expected 3 frames but got 2'
            Then the 'reader' process succeeds
        """;

    [Fact]
    public async Task Plans_the_default_matrix_and_reports_a_case_as_the_console_does()
    {
        using var harness = new HarmonyHarness().Feature("01-session", Feature);
        var console = await harness.RunAsync("csharp_python", "1.1");

        await using var session = ScenarioSession.Open(harness.ConfigPath, debugRole: null);
        // Both platforms × two kinds × separate-process, plus the two uniform pairs in same-process.
        Assert.Equal(6, session.Plan.Cases.Count);
        var testCase = session.Plan.Cases.Single(c => c.Combination.Name == "csharp_python");
        var report = await session.RunAsync(testCase.Key, notice: null, CancellationToken.None);

        Assert.Equal(Outcome.Failed, report.Result.Outcome);
        Assert.Equal(2, report.Result.Failure!.Step!.Number);
        Assert.StartsWith("✗ Test 1.1 - Frames go missing [csharp_python: reader=csharp, writer=python] separate-process (", report.Text);
        Assert.Contains("expected 3 frames but got 2", report.Text);
        Assert.True(Normalized(console.Stdout).Contains(Normalized(report.Text), StringComparison.Ordinal),
            $"session:\n{report.Text}\nconsole:\n{console.Stdout}");
    }

    [Fact]
    public async Task A_case_the_plan_does_not_hold_is_refused_with_the_reason()
    {
        using var harness = new HarmonyHarness().Feature("01-session", Feature);
        harness.WriteConfig();
        await using var session = ScenarioSession.Open(harness.ConfigPath, debugRole: null);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => session.RunAsync("01-session:99|csharp_python|separate-process", null, CancellationToken.None));

        Assert.Contains("the features changed since the tests were discovered", error.Message);
    }

    /// <summary>Pids, run ids and times differ between two runs of the same case; the rest must not.</summary>
    private static string Normalized(string text) =>
        Regex.Replace(Regex.Replace(Regex.Replace(text.Replace("\r", ""), @"\(\d+(?:\.\d+)? m?s\)", "(<time>)"), "h[0-9a-f]{10}", "<run>"), @"\d+", "0");
}
