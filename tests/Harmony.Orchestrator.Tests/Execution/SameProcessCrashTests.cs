using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>
/// Same-process mode: a kill step asks the one shared worker to simulate the crash of that role
/// (WORKER-PROTOCOL.md <c>simulateCrash</c>) and "a new process is started" has nothing to start.
/// </summary>
[Collection(ProcessTests.Name)]
public class SameProcessCrashTests
{
    private const string CrashAndRestart = """
        Feature: Crash
          Scenario: Test 2.3 - Crashed and replaced
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
            When the 'writer' process is killed
            And a new 'writer' process is started
            Then the 'writer' process succeeds
        """;

    [Fact]
    public async Task Kill_step_sends_simulateCrash_for_the_role_and_the_shared_worker_lives_on()
    {
        using var harness = new HarmonyHarness().Feature("02-crash", CrashAndRestart);
        var run = await harness.RunAsync("csharp_csharp", "--mode", "same-process");

        Assert.Equal(0, run.ExitCode);
        var crash = Assert.Single(run.Requests("simulateCrash"));
        Assert.Equal("writer", crash.GetProperty("params").GetProperty("role").GetString());
        // One worker served every step, the ones after the crash included: nothing was killed or started again.
        var pid = Assert.Single(run.InitializedPids);
        Assert.Single(run.Requests("initialize"));
        Assert.All(run.Requests("executeStep"), e => Assert.Equal(pid, e.GetProperty("pid").GetInt32()));
        Assert.Equal(3, run.Requests("executeStep").Count());
        Assert.Single(run.Requests("cleanup"));
        Assert.DoesNotContain(run.Events, e => e.GetProperty("event").GetString() == "exit" && e.GetProperty("pid").GetInt32() == pid
                                               && e.GetProperty("reason").GetString() != "shutdown");
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Starting_a_new_process_is_a_no_op_in_same_process_mode()
    {
        using var harness = new HarmonyHarness().Feature("02-crash", """
            Feature: Crash
              Scenario: Test 2.4 - Started without a crash
                Given the 'reader' process succeeds
                When a new 'reader' process is started
                Then the 'reader' process succeeds
            """);
        var run = await harness.RunAsync("python_python", "--mode", "same-process");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(run.Requests("initialize"));
        Assert.Empty(run.Requests("simulateCrash"));
        Assert.Single(run.InitializedPids);
    }

    [Theory]
    [InlineData("fail-crash", "JSON-RPC error")]
    [InlineData("refuse-crash", "it answered ok=false")]
    [InlineData("no-crash", "does not implement 'simulateCrash'")]
    public async Task A_worker_that_cannot_simulate_the_crash_fails_the_kill_step_clearly(string mode, string why)
    {
        using var harness = new HarmonyHarness().Feature("02-crash", CrashAndRestart);
        harness.Env["FAKE_WORKER_MODE"] = mode;
        var run = await harness.RunAsync("csharp_csharp", "--mode", "same-process");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("at step 3 \"When the 'writer' process is killed\"", run.Stdout);
        Assert.Matches(@"worker 'all' \(csharp, pid \d+\) could not simulate a crash of 'writer' in same-process mode: ", run.Stdout);
        Assert.Contains(why, run.Stdout);
        Assert.Contains("errorType: SimulateCrashFailed", run.Stdout);
        // Steps after the failed one are not sent.
        Assert.Equal(2, run.Requests("executeStep").Count());
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }
}
