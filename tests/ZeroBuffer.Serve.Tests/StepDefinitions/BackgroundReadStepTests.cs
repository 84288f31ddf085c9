using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>
/// The background-read phrases against the real library in this process: a read blocked while the
/// writer crashes ends with WriterDead only at its timeout, and every other ending fails the join.
/// </summary>
[Collection(StaleBufferCollection.Name)]
public sealed class BackgroundReadStepTests : IAsyncLifetime
{
    private const string Join = "the 'reader' process should stop reading with 'WriterDead' after at least '300' ms and within '5000' ms";

    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private async Task CreateAndConnect(string name)
    {
        await _worker.PassAsync($"the 'reader' process creates buffer '{name}' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync($"the 'writer' process connects to buffer '{name}'");
    }

    [Fact]
    public async Task A_read_blocked_while_the_writer_crashes_stops_with_WriterDead_at_its_timeout()
    {
        await CreateAndConnect("bg-read-crash");
        // The crash must come while the read is still blocked: a timeout a loaded 2-core host cannot
        // overrun between the two calls (300 ms was: the read timed out before the crash, Timeout).
        StepOutcome started = await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '2000' ms");
        Assert.Equal(2000, started.Data!["timeoutMs"]);
        await Task.Delay(100);

        await _worker.Scenarios.SimulateCrashAsync("writer", CancellationToken.None);

        StepOutcome stopped = await _worker.PassAsync(Join);
        Assert.InRange((double)stopped.Data!["elapsedMs"]!, 2000, 5000);
        StepOutcome again = await _worker.RunAsync(Join);
        Assert.Contains("No background read", again.Error, StringComparison.Ordinal); // joined reads are forgotten
    }

    [Fact]
    public async Task The_join_fails_when_the_read_gets_a_frame_or_times_out_with_a_live_writer()
    {
        await CreateAndConnect("bg-read-frame");
        await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '2000' ms");
        await _worker.PassAsync("the 'writer' process writes frame with size '64'");
        StepOutcome frame = await _worker.RunAsync(Join);
        Assert.Equal(ErrorTypes.AssertionFailed, frame.ErrorType);
        Assert.Contains("read frame 1 (64 B)", frame.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '300' ms");
        StepOutcome none = await _worker.RunAsync(Join);
        Assert.Equal(ErrorTypes.AssertionFailed, none.ErrorType);
        Assert.Contains("timed out with no frame and no error", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_fails_when_WriterDead_comes_before_the_lower_bound()
    {
        await CreateAndConnect("bg-read-early");
        await _worker.Scenarios.SimulateCrashAsync("writer", CancellationToken.None);
        await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '100' ms");

        StepOutcome early = await _worker.RunAsync("the 'reader' process should stop reading with 'WriterDead' after at least '2000' ms and within '5000' ms");

        Assert.Equal(ErrorTypes.AssertionFailed, early.ErrorType);
        Assert.Contains("before 2000 ms: it did not wait", early.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_still_running_fails_the_join_and_keeps_the_reader_busy_until_cleanup()
    {
        await CreateAndConnect("bg-read-busy");
        await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '1500' ms");

        StepOutcome late = await _worker.RunAsync("the 'reader' process should stop reading with 'WriterDead' after at least '0' ms and within '100' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, late.ErrorType);
        Assert.Contains("still reading", late.Error, StringComparison.Ordinal);
        StepOutcome second = await _worker.RunAsync("the 'reader' process starts reading a frame in the background with timeout '100' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, second.ErrorType);  // as in the Python and C++ workers
        Assert.Contains("busy with background read", second.Error, StringComparison.Ordinal);
        StepOutcome close = await _worker.RunAsync("the 'reader' process closes its reader");
        Assert.Equal(ErrorTypes.AssertionFailed, close.ErrorType);
        Assert.Contains("busy with background read", close.Error, StringComparison.Ordinal);

        CleanupReport report = await _worker.Scenarios.CleanupAsync();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Contains(report.Released, r => r.Contains("background read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crashed_reader_waits_for_its_background_read_before_abandoning_the_reader()
    {
        await CreateAndConnect("bg-read-reader-crash");
        await _worker.PassAsync("the 'reader' process starts reading a frame in the background with timeout '300' ms");

        IReadOnlyList<string> abandoned = await _worker.Scenarios.SimulateCrashAsync("reader", CancellationToken.None);

        Assert.StartsWith("background read", abandoned[0], StringComparison.Ordinal);
        Assert.StartsWith("reader '", abandoned[1], StringComparison.Ordinal);
        StepOutcome gone = await _worker.RunAsync(Join);
        Assert.Contains("No background read", gone.Error, StringComparison.Ordinal);
        // A new reader reclaims the stale buffer, so nothing is left behind.
        await _worker.PassAsync("the 'reader' process creates buffer 'bg-read-reader-crash' with metadata size '1024' and payload size '10240'");
    }
}
