using System.Text.Json;
using Harmony.Protocol.Messages;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Hosting;

/// <summary><c>simulateCrash</c> through a real worker (WORKER-PROTOCOL.md, same-process mode).</summary>
[Collection(StaleBufferCollection.Name)]
public sealed class SimulateCrashTests
{
    [Fact]
    public async Task A_crashed_reader_leaves_shm_semaphores_an_unheld_lock_file_and_a_dead_pid()
    {
        string runId = Some.RunId();
        string buffer = $"{runId}-crash";
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        Assert.True((await worker.InitializeAsync("reader", runId, RunModes.SameProcess)).Ok);
        Assert.True((await worker.StepAsync("reader", "the 'reader' process creates buffer 'crash' with metadata size '1024' and payload size '10240'")).Success);
        Assert.True(BufferInspector.IsLockFileHeld(buffer));

        OkResult crashed = await worker.CallAsync<OkResult>(WorkerMethods.SimulateCrash, new SimulateCrashParams("reader"));

        Assert.True(crashed.Ok);
        Assert.False(BufferInspector.IsLockFileHeld(buffer));
        Assert.True(BufferInspector.SharedMemoryExists(buffer));
        Assert.True(BufferInspector.SemaphoreExists(buffer, written: true));
        Assert.True(BufferInspector.SemaphoreExists(buffer, written: false));
        BufferState state = BufferInspector.Inspect(buffer);
        Assert.NotEqual(0UL, state.ReaderPid);
        Assert.False(state.ReaderAlive);
        Assert.Equal(10240UL, state.PayloadSize);

        // Cleanup must not dispose the abandoned reader: the stale buffer stays until a new reader reclaims it.
        Assert.True((await worker.CallAsync<CleanupResult>(WorkerMethods.Cleanup)).Ok);
        Assert.True(BufferInspector.SharedMemoryExists(buffer));
        new Reader(buffer, new BufferConfig(1024, 10240)).Dispose();
        Assert.Empty(Some.Leftovers(runId));
    }

    [Fact]
    public async Task Crashing_an_unknown_role_or_before_any_scenario_is_ok()
    {
        await using WorkerProcess worker = WorkerProcess.StartRpc();
        Assert.True((await worker.CallAsync<OkResult>(WorkerMethods.SimulateCrash, new SimulateCrashParams("writer"))).Ok);

        Assert.True((await worker.InitializeAsync("reader", Some.RunId(), RunModes.SameProcess)).Ok);
        Assert.True((await worker.CallAsync<OkResult>(WorkerMethods.SimulateCrash, new SimulateCrashParams("nobody"))).Ok);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"simulateCrash"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"simulateCrash","params":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"simulateCrash","params":{"role":""}}""")]
    public async Task A_crash_without_a_role_is_invalid_params(string request)
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        JsonElement reply = await worker.RequestAsync(request);

        Assert.Equal(-32602, reply.GetProperty("error").GetProperty("code").GetInt32());
    }
}
