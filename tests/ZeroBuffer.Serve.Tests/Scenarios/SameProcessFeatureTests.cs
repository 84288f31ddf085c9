using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Scenarios;

/// <summary>
/// Every scenario of features/*.feature that can run in same-process mode, replayed through one
/// real worker (all roles in one process, as `--mode same-process` does). Scenarios tagged
/// @separate-process need real crashes and are the orchestrator's.
/// </summary>
public sealed class SameProcessFeatureTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (FeatureScenario scenario in FeatureScenarios.All().Where(s => !s.Tags.Contains("@separate-process")))
        {
            data.Add(scenario.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_passes(string name)
    {
        FeatureScenario scenario = FeatureScenarios.All().Single(s => s.Name == name);
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        Assert.True((await worker.InitializeAsync("reader", runId, RunModes.SameProcess, name)).Ok);

        foreach ((string keyword, string text) in scenario.Steps)
        {
            Assert.False(FeatureScenarios.IsOrchestratorStep(text), $"{name} uses orchestrator step '{text}'");
            string role = text.StartsWith("the '", StringComparison.Ordinal) ? text[5..text.IndexOf('\'', 5)] : "all";
            StepResult result = await worker.StepAsync(role, text);
            Assert.True(result.Success, $"{keyword} {text}: {result.ErrorType}: {result.Error}\n{string.Join("\n", result.Logs.Select(l => l.Message))}");
        }

        CleanupResult cleanup = await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.True(cleanup.Ok);
        Assert.Empty(Some.Leftovers(runId));
    }
}
