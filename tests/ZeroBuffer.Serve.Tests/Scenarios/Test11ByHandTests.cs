using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Scenarios;

/// <summary>
/// Test 1.1 (Simple Write-Read Cycle) played without the orchestrator: the steps of
/// features/01-basic-communication.feature sent to real workers, as the orchestrator would route them.
/// </summary>
public sealed class Test11ByHandTests
{
    private static readonly (string Role, string Text)[] Steps =
    [
        ("reader", "the 'reader' process creates buffer 'test-basic' with metadata size '1024' and payload size '10240'"),
        ("writer", "the 'writer' process connects to buffer 'test-basic'"),
        ("writer", "the 'writer' process should see the reader connected"),
        ("reader", "the 'reader' process should see the writer connected"),
        ("writer", "the 'writer' process writes metadata with size '100'"),
        ("writer", "the 'writer' process writes frame with size '1024'"),
        ("reader", "the 'reader' process should have metadata with size '100'"),
        ("reader", "the 'reader' process should read frame with sequence '1' and size '1024'"),
        ("reader", "the 'reader' process should see '10240' free payload bytes in the OIEB"),
        ("reader", "the 'reader' process should see '1' space signals pending"),
    ];

    [Fact]
    public void The_steps_are_those_of_the_feature_file()
    {
        FeatureScenario scenario = FeatureScenarios.All().Single(s => s.Name.StartsWith("Test 1.1 ", StringComparison.Ordinal));
        Assert.Equal(Steps.Select(s => s.Text), scenario.Steps.Select(s => s.Text));
    }

    [Fact]
    public async Task Separate_processes_reader_and_writer()
    {
        string runId = Some.RunId();
        await using WorkerProcess reader = WorkerProcess.StartRpc();
        await using WorkerProcess writer = WorkerProcess.StartRpc();
        Assert.True((await reader.InitializeAsync("reader", runId)).Ok);
        Assert.True((await writer.InitializeAsync("writer", runId)).Ok);

        foreach ((string role, string text) in Steps)
        {
            WorkerProcess worker = role == "reader" ? reader : writer;
            StepResult result = await worker.StepAsync(role, text);
            Assert.True(result.Success, $"{role}: {text}: {result.ErrorType}: {result.Error}");
        }

        CleanupResult writerCleanup = await writer.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        CleanupResult readerCleanup = await reader.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.Equal([$"writer '{runId}-test-basic'"], writerCleanup.Released);
        Assert.Equal([$"reader '{runId}-test-basic'"], readerCleanup.Released);
        Assert.Empty(Some.Leftovers(runId));
    }

    [Fact]
    public async Task Same_process_one_worker_hosts_both_roles()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        Assert.True((await worker.InitializeAsync("reader", runId, RunModes.SameProcess)).Ok);

        foreach ((string role, string text) in Steps)
        {
            StepResult result = await worker.StepAsync(role, text);
            Assert.True(result.Success, $"{role}: {text}: {result.ErrorType}: {result.Error}");
        }

        CleanupResult cleanup = await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup);
        Assert.True(cleanup.Ok);
        Assert.Equal([$"writer '{runId}-test-basic'", $"reader '{runId}-test-basic'"], cleanup.Released);
        Assert.Empty(Some.Leftovers(runId));
    }
}
