using Harmony.Protocol.Messages;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>
/// The issue-17 phrases against the real library in this process: OIEB and semaphore facts, simulated
/// crashes, stale resources, and the "… after waiting" / "… after the write timeout" timing claims.
/// </summary>
[Collection(StaleBufferCollection.Name)]
public sealed class CrashAndOiebStepTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private string Buffer(string name) => $"{_worker.RunId}-{name}";

    private async Task CreateAndConnect(string name, int payload = 10240)
    {
        await _worker.PassAsync($"the 'reader' process creates buffer '{name}' with metadata size '1024' and payload size '{payload}'");
        await _worker.PassAsync($"the 'writer' process connects to buffer '{name}'");
    }

    private static double ElapsedMs(StepOutcome outcome) => (double)outcome.Data!["elapsedMs"]!;

    [Fact]
    public async Task A_crashed_writer_leaves_a_dead_pid_and_the_reader_fails_only_after_waiting()
    {
        await CreateAndConnect("writer-crash");
        await _worker.PassAsync("the 'writer' process writes frame with size '1024'");
        StepOutcome own = await _worker.PassAsync("the 'writer' process should see its pid recorded as the writer in the OIEB");
        Assert.Equal((ulong)Environment.ProcessId, own.Data!["pid"]);
        StepOutcome notDead = await _worker.RunAsync("the 'reader' process should see a dead writer pid recorded in the OIEB");
        Assert.Equal(ErrorTypes.AssertionFailed, notDead.ErrorType);

        IReadOnlyList<string> abandoned = await _worker.Scenarios.SimulateCrashAsync("writer", CancellationToken.None);

        Assert.Equal([$"writer '{Buffer("writer-crash")}'"], abandoned);
        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '1024'");
        StepOutcome dead = await _worker.PassAsync("the 'reader' process should see a dead writer pid recorded in the OIEB");
        Assert.NotEqual((ulong)Environment.ProcessId, dead.Data!["pid"]);
        StepOutcome failed = await _worker.PassAsync("the 'reader' process should fail to read a frame with 'WriterDead' after waiting '300' ms");
        Assert.InRange(ElapsedMs(failed), 300, 3300);
        await _worker.PassAsync("the 'reader' process should see the writer disconnected");
        StepOutcome noWriter = await _worker.RunAsync("the 'writer' process writes frame with size '8'");
        Assert.Equal(ErrorTypes.UnhandledException, noWriter.ErrorType); // the abandoned writer is forgotten
    }

    [Fact]
    public async Task A_crashed_reader_leaves_stale_resources_and_the_writer_fails_only_after_its_timeout()
    {
        await CreateAndConnect("reader-crash");
        await _worker.PassAsync("the 'reader' process should see its pid recorded as the reader in the OIEB");
        await _worker.PassAsync("the 'writer' process sets write timeout to '300' ms");
        await _worker.PassAsync("the 'writer' process writes frame with size '10224'");
        await _worker.PassAsync("the 'writer' process should see '0' free payload bytes in the OIEB");

        await _worker.Scenarios.SimulateCrashAsync("reader", CancellationToken.None);

        await _worker.PassAsync("the 'writer' process should see stale resources of buffer 'reader-crash'");
        await _worker.PassAsync("the 'writer' process should see a dead reader pid recorded in the OIEB");
        StepOutcome failed = await _worker.PassAsync("the 'writer' process should fail to write frame with size '1024' with 'ReaderDead' after the write timeout");
        Assert.InRange(ElapsedMs(failed), 300, 3300);
        Assert.Equal(300d, failed.Data!["writeTimeoutMs"]);
        await _worker.PassAsync("the 'writer' process should see the reader disconnected");

        // A replacement reader reclaims the stale buffer (and cleanup then removes it).
        await _worker.PassAsync("the 'reader' process creates buffer 'reader-crash' with metadata size '1024' and payload size '20480'");
        await _worker.PassAsync("the 'reader' process should see a fresh buffer 'reader-crash' with payload size '20480'");
    }

    [Fact]
    public async Task A_write_that_fails_at_once_does_not_pass_as_failing_after_the_write_timeout()
    {
        await CreateAndConnect("too-large");

        StepOutcome early = await _worker.RunAsync("the 'writer' process should fail to write frame with size '20000' with 'FrameTooLarge' after the write timeout");

        Assert.Equal(ErrorTypes.AssertionFailed, early.ErrorType);
        Assert.Contains("did not wait", early.Error, StringComparison.Ordinal);
        await _worker.PassAsync("the 'writer' process should fail to write frame with size '20000' with 'FrameTooLarge'");
    }

    [Fact]
    public async Task Stale_resources_are_seen_and_replaced_by_a_fresh_buffer()
    {
        await _worker.PassAsync("the 'reader' process leaves stale resources for buffer 'stale' with payload size '10240'");
        await _worker.PassAsync("the 'reader' process should see stale resources of buffer 'stale'");
        await _worker.PassAsync("the 'reader' process should see '3' frame signals pending");
        StepOutcome notFresh = await _worker.RunAsync("the 'reader' process should see a fresh buffer 'stale' with payload size '10240'");
        Assert.Equal(ErrorTypes.AssertionFailed, notFresh.ErrorType);
        Assert.Contains("reader_pid", notFresh.Error, StringComparison.Ordinal);
        Assert.Contains("sem-w value is 3", notFresh.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'reader' process creates buffer 'stale' with metadata size '1024' and payload size '20480'");

        await _worker.PassAsync("the 'reader' process should see a fresh buffer 'stale' with payload size '20480'");
        StepOutcome held = await _worker.RunAsync("the 'reader' process should see stale resources of buffer 'stale'");
        Assert.Equal(ErrorTypes.AssertionFailed, held.ErrorType);
        Assert.Contains("someone holds it", held.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_stale_resources_are_named()
    {
        await CreateAndConnect("clean");
        await _worker.PassAsync("the 'writer' process writes frame with size '8'");

        StepOutcome missing = await _worker.RunAsync("the 'reader' process should see stale resources of buffer 'never-made'");

        Assert.Equal(ErrorTypes.AssertionFailed, missing.ErrorType);
        Assert.Contains("lock file", missing.Error, StringComparison.Ordinal);
        Assert.Contains($"/dev/shm/{Buffer("never-made")}", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Free_bytes_and_pending_signals_follow_writes_and_releases()
    {
        await CreateAndConnect("signals");
        await _worker.PassAsync("the 'writer' process writes frame with size '1024'");
        await _worker.PassAsync("the 'reader' process should see '1' frame signals pending");
        await _worker.PassAsync("the 'reader' process should see '0' space signals pending");
        await _worker.PassAsync("the 'reader' process should see '9200' free payload bytes in the OIEB");

        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '1024'");

        await _worker.PassAsync("the 'reader' process should see '10240' free payload bytes in the OIEB");
        await _worker.PassAsync("the 'reader' process should see '1' space signals pending");
        await _worker.PassAsync("the 'reader' process should see '0' frame signals pending");
        StepOutcome wrong = await _worker.RunAsync("the 'reader' process should see '2' space signals pending");
        Assert.Equal(ErrorTypes.AssertionFailed, wrong.ErrorType);
        Assert.Contains("value is 1", wrong.Error, StringComparison.Ordinal);
        StepOutcome wrongFree = await _worker.RunAsync("the 'reader' process should see '10239' free payload bytes in the OIEB");
        Assert.Contains("payload_free_bytes is 10240", wrongFree.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_of_an_unknown_role_abandons_nothing()
    {
        await CreateAndConnect("unknown-role");

        Assert.Empty(await _worker.Scenarios.SimulateCrashAsync("nobody", CancellationToken.None));

        await _worker.PassAsync("the 'writer' process writes frame with size '8'");
        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '8'");
    }

    [Fact]
    public async Task A_crash_stops_the_roles_background_work_and_the_writer_stops_with_ReaderDead()
    {
        await CreateAndConnect("background-crash");
        await _worker.PassAsync("the 'writer' process sets write timeout to '300' ms");
        await _worker.PassAsync("the 'writer' process starts writing '1000000' frames with size '1024' in the background");
        await _worker.PassAsync("the 'reader' process should read '5' frames with size '1024' in order");

        await _worker.Scenarios.SimulateCrashAsync("reader", CancellationToken.None);

        StepOutcome stopped = await _worker.PassAsync("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms");
        Assert.True((int)stopped.Data!["written"]! >= 5);
        await _worker.PassAsync("the 'writer' process starts writing '1000000' frames with size '1024' in the background");

        IReadOnlyList<string> abandoned = await _worker.Scenarios.SimulateCrashAsync("writer", CancellationToken.None);

        Assert.Contains(abandoned, a => a.StartsWith("background write", StringComparison.Ordinal));
        Assert.False(CrashSimulation.IsAlive(BufferInspector.Inspect(Buffer("background-crash")).WriterPid));
        await _worker.PassAsync("the 'reader' process creates buffer 'background-crash' with metadata size '1024' and payload size '10240'");
    }

    [Fact]
    public async Task Stop_writing_fails_when_the_work_finishes_or_stops_with_another_kind()
    {
        await CreateAndConnect("stop-kinds");
        await _worker.PassAsync("the 'writer' process starts writing '2' frames with size '8' in the background");
        StepOutcome finished = await _worker.RunAsync("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, finished.ErrorType);
        Assert.Contains("finished all 2 frames", finished.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'writer' process sets write timeout to '200' ms");
        await _worker.PassAsync("the 'writer' process starts writing '100' frames with size '1024' in the background");
        StepOutcome otherKind = await _worker.RunAsync("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, otherKind.ErrorType);
        Assert.Contains("stopped with 'BufferFull'", otherKind.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_writes_and_polls_report_elapsed_ms()
    {
        await CreateAndConnect("elapsed");
        string[] steps =
        [
            "the 'writer' process should see the reader connected",
            "the 'writer' process writes metadata with size '10'",
            "the 'writer' process writes frame with size '8'",
            "the 'writer' process writes '2' frames with size '8'",
            "the 'reader' process should read frame with sequence '1' and size '8'",
            "the 'reader' process should read '2' frames with size '8' in order",
            "the 'reader' process should receive no frame within '10' ms",
        ];
        foreach (string step in steps)
        {
            StepOutcome outcome = await _worker.PassAsync(step);
            Assert.True(outcome.Data!.TryGetValue("elapsedMs", out object? elapsed) && elapsed is double, step);
        }
    }

    [Fact]
    public async Task A_poll_that_never_holds_fails_after_2000_ms_naming_the_state_seen()
    {
        await CreateAndConnect("poll");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        StepOutcome wrong = await _worker.RunAsync("the 'reader' process should see the writer disconnected");

        Assert.Equal(ErrorTypes.AssertionFailed, wrong.ErrorType);
        Assert.Contains("still saw it connected", wrong.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 2000, 10_000);
    }

    [Fact]
    public async Task Disconnected_is_polled_so_it_passes_right_after_a_peer_process_is_SIGKILLed()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'killed-peer' with metadata size '1024' and payload size '10240'");
        await using (WorkerProcess writer = WorkerProcess.StartRpc())
        {
            Assert.True((await writer.InitializeAsync("writer", _worker.RunId)).Ok);
            Assert.True((await writer.StepAsync("writer", "the 'writer' process connects to buffer 'killed-peer'")).Success);
            await _worker.PassAsync("the 'reader' process should see the writer connected");

            writer.KillStartedProcessOnly();
            await _worker.PassAsync("the 'reader' process should see the writer disconnected");
        }
    }
}
