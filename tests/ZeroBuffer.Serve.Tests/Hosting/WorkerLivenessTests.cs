using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Hosting;

/// <summary>
/// WORKER-PROTOCOL.md "Liveness": within 2 s of stdin's end or its parent's death a worker exits
/// and its buffers are gone, even while a step is blocked in a read that nothing will end.
/// </summary>
public sealed class WorkerLivenessTests
{
    /// <summary>The contract's 2 s, plus room for a machine busy with other test runs.</summary>
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1.5);

    /// <summary>Initializes, creates a buffer and leaves a step blocked in a 20 s read with no writer.</summary>
    private static async Task<int> BlockInARead(WorkerProcess worker, string runId)
    {
        JsonElement health = await worker.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"health"}""");
        await worker.RequestAsync(Requests.Initialize(2, runId));
        JsonElement created = await worker.RequestAsync(Requests.Step(3, "the 'reader' process creates buffer 'live' with metadata size '0' and payload size '4096'"));
        Assert.True(created.GetProperty("result").GetProperty("success").GetBoolean());
        Assert.NotEmpty(Some.Leftovers(runId));

        await worker.SendFrameAsync(Requests.Step(4, "the 'reader' process should receive no frame within '20000' ms"));
        await Task.Delay(500); // the read is under way
        return health.GetProperty("result").GetProperty("pid").GetInt32();
    }

    [Fact]
    public async Task The_end_of_stdin_mid_step_ends_the_worker_within_two_seconds_with_its_buffers_released()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        await BlockInARead(worker, runId);

        var clock = Stopwatch.StartNew();
        worker.CloseInput();
        int exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed <= ExitLimit, $"exited {clock.Elapsed.TotalMilliseconds:0} ms after stdin closed");
        Assert.Equal(0, exitCode);
        Assert.Empty(Some.Leftovers(runId));
        Assert.Contains(worker.Stderr, l => l.Contains("End of stdin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_death_of_the_parent_mid_step_ends_the_worker_within_two_seconds_with_its_buffers_released()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartUnderShell();
        int workerPid = await BlockInARead(worker, runId);
        Assert.NotEqual(worker.Pid, workerPid);
        try
        {
            var clock = Stopwatch.StartNew();
            worker.KillStartedProcessOnly();

            // stdout ends when the worker has exited (the killed shell held no copy of it any more);
            // the abandoned step may still be answered before that.
            while (await worker.ReadReplyAsync(TimeSpan.FromSeconds(20)) is { } late)
            {
                Assert.Equal(4, late.GetProperty("id").GetInt32());
            }
            while (IsRunning(workerPid) && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20);
            }

            Assert.True(clock.Elapsed <= ExitLimit, $"exited {clock.Elapsed.TotalMilliseconds:0} ms after its parent was killed");
            Assert.Empty(Some.Leftovers(runId));
            Assert.Contains(worker.Stderr, l => l.Contains("parent process", StringComparison.Ordinal));
        }
        finally
        {
            if (IsRunning(workerPid))
            {
                Process.GetProcessById(workerPid).Kill();
            }
        }
    }

    /// <summary>Alive and not a zombie (a re-parented worker is reaped by whoever adopted it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
