using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>The step definitions against the real library in this process (reader and writer share one context).</summary>
public sealed class StepDefinitionBehaviourTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private async Task CreateAndConnect(string name, int payload = 10240, int metadata = 1024)
    {
        await _worker.PassAsync($"the 'reader' process creates buffer '{name}' with metadata size '{metadata}' and payload size '{payload}'");
        await _worker.PassAsync($"the 'writer' process connects to buffer '{name}'");
    }

    [Fact]
    public async Task Buffer_names_get_the_run_id_prefix()
    {
        StepOutcome created = await _worker.PassAsync("the 'reader' process creates buffer 'named' with metadata size '64' and payload size '4096'");

        Assert.Equal($"{_worker.RunId}-named", created.Data!["buffer"]);
        Assert.True(File.Exists($"/dev/shm/{_worker.RunId}-named"));
    }

    [Fact]
    public async Task Written_frames_are_read_back_with_sequence_size_and_data()
    {
        await CreateAndConnect("roundtrip");
        StepOutcome wrote = await _worker.PassAsync("the 'writer' process writes frame with size '1000'");
        StepOutcome many = await _worker.PassAsync("the 'writer' process writes '3' frames with size '100'");

        Assert.Equal(1UL, wrote.Data!["sequence"]);
        Assert.Equal(2UL, many.Data!["firstSequence"]);
        Assert.Equal(4UL, many.Data!["lastSequence"]);

        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '1000'");
        StepOutcome inOrder = await _worker.PassAsync("the 'reader' process should read '3' frames with size '100' in order");
        Assert.Equal(4UL, inOrder.Data!["lastSequence"]);
        await _worker.PassAsync("the 'reader' process should receive no frame within '50' ms");
    }

    [Fact]
    public async Task Wrong_sequence_or_size_fails_as_an_assertion_naming_both()
    {
        await CreateAndConnect("mismatch");
        await _worker.PassAsync("the 'writer' process writes '2' frames with size '128'");

        StepOutcome wrongSize = await _worker.RunAsync("the 'reader' process should read frame with sequence '1' and size '129'");
        Assert.Equal(ErrorTypes.AssertionFailed, wrongSize.ErrorType);
        Assert.Contains("129 B", wrongSize.Error, StringComparison.Ordinal);
        Assert.Contains("128 B", wrongSize.Error, StringComparison.Ordinal);

        StepOutcome wrongSequence = await _worker.RunAsync("the 'reader' process should read frame with sequence '5' and size '128'");
        Assert.Equal(ErrorTypes.AssertionFailed, wrongSequence.ErrorType);
        Assert.Contains("Expected frame 5", wrongSequence.Error, StringComparison.Ordinal);
        Assert.Contains("read frame 2", wrongSequence.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_frame_fails_and_an_unexpected_frame_fails()
    {
        await CreateAndConnect("missing");

        StepOutcome none = await _worker.RunAsync("the 'reader' process should read frame with sequence '1' and size '8'");
        Assert.Equal(ErrorTypes.AssertionFailed, none.ErrorType);
        Assert.Contains("No frame arrived", none.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'writer' process writes frame with size '8'");
        StepOutcome unexpected = await _worker.RunAsync("the 'reader' process should receive no frame within '1000' ms");
        Assert.Equal(ErrorTypes.AssertionFailed, unexpected.ErrorType);
        Assert.Contains("received frame 1 (8 B)", unexpected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_error_kinds_pass_and_mismatches_name_expected_and_actual()
    {
        await _worker.PassAsync("the 'writer' process should fail to connect to buffer 'absent' with 'BufferNotFound'");
        await _worker.PassAsync("the 'reader' process should fail to create buffer 'bad/name' with 'InvalidBufferName'");

        StepOutcome wrongKind = await _worker.RunAsync("the 'writer' process should fail to connect to buffer 'absent' with 'WriterAlreadyConnected'");
        Assert.Equal(ErrorTypes.AssertionFailed, wrongKind.ErrorType);
        Assert.Contains("'WriterAlreadyConnected'", wrongKind.Error, StringComparison.Ordinal);
        Assert.Contains("'BufferNotFound'", wrongKind.Error, StringComparison.Ordinal);

        StepOutcome succeeded = await _worker.RunAsync("the 'reader' process should fail to create buffer 'fine' with 'InvalidBufferName'");
        Assert.Equal(ErrorTypes.AssertionFailed, succeeded.ErrorType);
        Assert.Contains("but it succeeded", succeeded.Error, StringComparison.Ordinal);
        Assert.Empty(Some.Leftovers($"{_worker.RunId}-fine"));
    }

    [Fact]
    public async Task An_unexpected_library_error_is_reported_with_its_kind()
    {
        StepOutcome outcome = await _worker.RunAsync("the 'writer' process connects to buffer 'nobody-here'");

        Assert.Equal("BufferNotFound", outcome.ErrorType);
        Assert.Contains("nobody-here", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_reader_and_a_second_writer_are_refused()
    {
        await CreateAndConnect("single");
        await _worker.PassAsync("the 'reader-2' process should fail to create buffer 'single' with 'ReaderAlreadyConnected'");
        await _worker.PassAsync("the 'writer-2' process should fail to connect to buffer 'single' with 'WriterAlreadyConnected'");
        await _worker.PassAsync("the 'writer' process writes frame with size '16'");
        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '16'");
    }

    [Fact]
    public async Task Metadata_is_written_once_and_checked_byte_by_byte()
    {
        await CreateAndConnect("meta");
        await _worker.PassAsync("the 'reader' process should have no metadata");
        await _worker.PassAsync("the 'writer' process should fail to write metadata with size '1017' with 'MetadataTooLarge'");
        await _worker.PassAsync("the 'writer' process writes metadata with size '1016'");
        await _worker.PassAsync("the 'reader' process should have metadata with size '1016'");
        await _worker.PassAsync("the 'writer' process should fail to write metadata with size '10' with 'MetadataAlreadyWritten'");

        StepOutcome wrongSize = await _worker.RunAsync("the 'reader' process should have metadata with size '100'");
        Assert.Equal(ErrorTypes.AssertionFailed, wrongSize.ErrorType);
        Assert.Contains("found 1016 B", wrongSize.Error, StringComparison.Ordinal);
        Assert.Equal(ErrorTypes.AssertionFailed, (await _worker.RunAsync("the 'reader' process should have no metadata")).ErrorType);
    }

    [Fact]
    public async Task Connection_state_is_seen_both_ways()
    {
        await CreateAndConnect("liveness");
        await _worker.PassAsync("the 'writer' process should see the reader connected");
        await _worker.PassAsync("the 'reader' process should see the writer connected");

        StepOutcome wrong = await _worker.RunAsync("the 'reader' process should see the writer disconnected");
        Assert.Equal(ErrorTypes.AssertionFailed, wrong.ErrorType);
        Assert.Contains("still saw it connected", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Background_writing_blocks_on_a_full_buffer_until_the_reader_drains()
    {
        await CreateAndConnect("full", payload: 10240, metadata: 512);
        await _worker.PassAsync("the 'writer' process writes frame with size '8192'");
        await _worker.PassAsync("the 'writer' process starts writing '1' frames with size '5120' in the background");
        await _worker.PassAsync("the 'writer' process should still be writing after '300' ms");

        StepOutcome busy = await _worker.RunAsync("the 'writer' process writes frame with size '10'");
        Assert.Equal(ErrorTypes.AssertionFailed, busy.ErrorType);
        Assert.Contains("busy with background write", busy.Error, StringComparison.Ordinal);

        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '8192'");
        StepOutcome joined = await _worker.PassAsync("the 'writer' process should finish writing within '5000' ms");
        Assert.Equal(2UL, joined.Data!["lastSequence"]);
        await _worker.PassAsync("the 'reader' process should read frame with sequence '2' and size '5120'");
    }

    [Fact]
    public async Task Background_failure_is_reported_with_the_library_kind()
    {
        await CreateAndConnect("bgfail", payload: 10240, metadata: 512);
        await _worker.PassAsync("the 'writer' process sets write timeout to '200' ms");
        await _worker.PassAsync("the 'writer' process writes frame with size '8192'");
        await _worker.PassAsync("the 'writer' process starts writing '1' frames with size '5120' in the background");

        StepOutcome failed = await _worker.RunAsync("the 'writer' process should finish writing within '3000' ms");

        Assert.Equal("BufferFull", failed.ErrorType);
        Assert.Contains("0 written", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Still_writing_fails_when_the_background_work_already_finished()
    {
        await CreateAndConnect("bgdone");
        await _worker.PassAsync("the 'writer' process starts writing '2' frames with size '64' in the background");
        StepOutcome outcome = await _worker.RunAsync("the 'writer' process should still be writing after '500' ms");

        Assert.Equal(ErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.Contains("finished", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finish_writing_fails_while_the_writer_is_still_blocked()
    {
        await CreateAndConnect("bgslow", payload: 10240, metadata: 512);
        await _worker.PassAsync("the 'writer' process writes frame with size '8192'");
        await _worker.PassAsync("the 'writer' process starts writing '1' frames with size '5120' in the background");

        StepOutcome outcome = await _worker.RunAsync("the 'writer' process should finish writing within '200' ms");

        Assert.Equal(ErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.Contains("still writing", outcome.Error, StringComparison.Ordinal);
        // Cleanup (in DisposeAsync) cancels and joins the blocked write, then releases both ends.
    }

    [Fact]
    public async Task Cleanup_releases_readers_writers_and_background_work()
    {
        await CreateAndConnect("released", payload: 10240, metadata: 512);
        await _worker.PassAsync("the 'writer' process writes frame with size '8192'");
        await _worker.PassAsync("the 'writer' process starts writing '1' frames with size '5120' in the background");

        CleanupReport report = await _worker.Scenarios.CleanupAsync();

        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Contains(report.Released, r => r.StartsWith("background write", StringComparison.Ordinal));
        Assert.Contains($"writer '{_worker.RunId}-released'", report.Released);
        Assert.Contains($"reader '{_worker.RunId}-released'", report.Released);
        Assert.Empty(Some.Leftovers(_worker.RunId));
    }

    [Fact]
    public async Task Steps_without_a_reader_or_writer_say_so()
    {
        StepOutcome noWriter = await _worker.RunAsync("the 'writer' process writes frame with size '8'");
        Assert.Equal(ErrorTypes.UnhandledException, noWriter.ErrorType);
        Assert.Contains("no writer", noWriter.Error, StringComparison.Ordinal);

        StepOutcome noReader = await _worker.RunAsync("the 'reader' process should have no metadata");
        Assert.Contains("no reader", noReader.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blocked_read_past_the_step_timeout_is_a_step_timeout_and_the_worker_goes_on()
    {
        await CreateAndConnect("slowstep");

        StepOutcome timedOut = await _worker.RunAsync("the 'reader' process should read frame with sequence '1' and size '8'", timeoutMs: 300);
        Assert.Equal(ErrorTypes.StepTimeout, timedOut.ErrorType);

        // The abandoned read ends by itself (5 s read timeout); the next step waits for it, then runs.
        await _worker.PassAsync("the 'writer' process writes frame with size '8'", timeoutMs: 15_000);
        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '8'");
    }
}
