using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Scenarios;

/// <summary>
/// Every scenario of features/*.feature that can run in same-process mode, replayed through one
/// real worker (all roles in one process, as `--mode same-process` does). The orchestrator's steps
/// are played as it plays them there: a killed role is a <c>simulateCrash</c>, a new process for
/// it is nothing, a wait is a wait. Scenarios tagged @separate-process are the orchestrator's; @long
/// twins (the catalogue's full counts) are off by default, as in ./test.sh; @windows scenarios (Windows
/// named objects) run only on a Windows host.
/// </summary>
[Collection(StaleBufferCollection.Name)]
public sealed class SameProcessFeatureTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (FeatureScenario scenario in FeatureScenarios.All().Where(s => !s.Tags.Contains("@separate-process") && !s.Tags.Contains("@long") && (OperatingSystem.IsWindows() || !s.Tags.Contains("@windows"))))
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

        bool crashed = false;
        foreach ((string keyword, string text) in scenario.Steps)
        {
            if (FeatureScenarios.IsOrchestratorStep(text))
            {
                if (FeatureScenarios.CrashedRole(text) is { } crashedRole)
                {
                    Assert.True((await worker.CallAsync<OkResult>(WorkerMethods.SimulateCrash, new SimulateCrashParams(crashedRole))).Ok);
                    crashed = true;
                }
                else if (FeatureScenarios.Wait(text) is { } wait)
                {
                    await Task.Delay(wait);
                }

                continue;
            }

            string role = text.StartsWith("the '", StringComparison.Ordinal) ? text[5..text.IndexOf('\'', 5)] : "all";
            StepResult result = await worker.StepAsync(role, text);
            Assert.True(result.Success, $"{keyword} {text}: {result.ErrorType}: {result.Error}\n{string.Join("\n", result.Logs.Select(l => l.Message))}");
        }

        CleanupResult cleanup = await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.True(cleanup.Ok);
        IReadOnlyList<string> leftovers = Some.Leftovers(runId);
        if (crashed)
        {
            // A crashed reader leaves its buffer stale, as a killed process does; the files are ours to remove.
            leftovers.ToList().ForEach(File.Delete);
        }
        else
        {
            Assert.Empty(leftovers);
        }
    }
}
