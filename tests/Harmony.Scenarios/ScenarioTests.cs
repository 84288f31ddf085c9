using Harmony.Orchestrator.Results;
using Harmony.Scenarios.Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harmony.Scenarios;

/// <summary>
/// The scenario matrix as one theory: a row per scenario × combination × mode, run in-process through the
/// orchestrator's engine (same workers from harmony.json, run-id isolation and leak sweep as <c>./test.sh</c>).
/// A failing row fails with the console's report of it (failing step, error, errorType, worker logs) as its message.
/// </summary>
public sealed class ScenarioTests(ScenarioSessions sessions, ITestOutputHelper output) : IClassFixture<ScenarioSessions>
{
    [ScenarioTheory]
    [MemberData(nameof(ScenarioRows.Matrix), MemberType = typeof(ScenarioRows))]
    public Task Scenario(ScenarioRow row) => ScenarioExecution.RunAsync(sessions, row, output);
}

/// <summary>Runs one row and turns a failed result into an assertion failure carrying the report text.</summary>
internal static class ScenarioExecution
{
    public static async Task RunAsync(ScenarioSessions sessions, ScenarioRow row, ITestOutputHelper output)
    {
        var session = sessions.For(row.ConfigPath);
        var report = await session.RunAsync(row.Key, line =>
        {
            LiveOutput.Write(line);
            output.WriteLine(line);
        }, CancellationToken.None);
        if (report.Result.Outcome == Outcome.Failed)
        {
            // XunitException: explorers show the message as it is, without an exception type in front.
            throw new XunitException(report.Text);
        }
        output.WriteLine(report.Text);
    }
}
