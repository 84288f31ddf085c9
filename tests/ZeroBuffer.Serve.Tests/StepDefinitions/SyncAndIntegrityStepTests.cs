using Harmony.Protocol.Messages;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>
/// The feature 06 / 07 phrases against the real library in this process, mostly their failure paths:
/// each must fail, naming what it saw, when what it asserts does not hold.
/// </summary>
[Collection(StaleBufferCollection.Name)]
public sealed class SyncAndIntegrityStepTests : IAsyncLifetime
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

    private async Task<string> Fails(string text, params string[] fragments)
    {
        StepOutcome outcome = await _worker.RunAsync(text);
        Assert.False(outcome.Success, $"{text} passed");
        Assert.Equal(ErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.All(fragments, f => Assert.Contains(f, outcome.Error));
        return outcome.Error!;
    }

    [Fact]
    public async Task Blocked_holds_while_the_ring_is_full_and_fails_once_the_writer_moves_on()
    {
        await CreateAndConnect("blocked", payload: 4096);
        await _worker.PassAsync("the 'writer' process starts writing '6' frames with size '1000' in the background"); // four fit

        StepOutcome blocked = await _worker.PassAsync("the 'writer' process should be blocked with '4' frames written for '100' ms");

        Assert.Equal(4, Convert.ToInt32(blocked.Data!["written"]));
        await Fails("the 'writer' process should be blocked with '3' frames written for '50' ms", "has written 4");
        await _worker.PassAsync("the 'reader' process should read '6' frames with size '1000' in order");
        await Fails("the 'writer' process should be blocked with '6' frames written for '50' ms", "finished");
        await _worker.PassAsync("the 'writer' process should finish writing within '1000' ms");
    }

    [Fact]
    public async Task Unread_frames_must_match_the_frame_signals()
    {
        await CreateAndConnect("signals");
        await _worker.PassAsync("the 'writer' process writes '2' frames with size '100'");
        await _worker.PassAsync("the 'reader' process should see '2' unread frames and as many frame signals pending");
        await Fails("the 'reader' process should see '1' unread frames and as many frame signals pending", "counts 2 unread", "value is 2");

        BufferEditor.PostSemaphore(Buffer("signals"), written: true); // a signal without a frame

        await Fails("the 'reader' process should see '2' unread frames and as many frame signals pending", "counts 2 unread", "value is 3");
    }

    [Fact]
    public async Task Corruption_needs_an_unread_frame_and_the_error_must_name_both_numbers()
    {
        await CreateAndConnect("corrupt");
        await Fails("the 'writer' process sets the sequence of the next unread frame to '5'", "all 0 written frames were read");
        await _worker.PassAsync("the 'writer' process writes '2' frames with size '100'");
        await _worker.PassAsync("the 'reader' process should read frame with sequence '1' and size '100'");

        StepOutcome edit = await _worker.PassAsync("the 'writer' process sets the sequence of the next unread frame to '9'");

        Assert.Equal(116L, Convert.ToInt64(edit.Data!["offset"]));
        Assert.Equal(2UL, Convert.ToUInt64(edit.Data["previousSequence"]));
        Assert.Equal(new FrameHeaderState(100, 9), BufferEditor.ReadFrameHeader(Buffer("corrupt"), 116));
        await Fails("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '2' and actual '5'", "carries expected 2, got 9");
    }

    [Fact]
    public async Task The_sequence_error_step_fails_on_a_good_frame()
    {
        await CreateAndConnect("good");
        await _worker.PassAsync("the 'writer' process writes frame with size '100'");

        await Fails("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '1' and actual '5'", "it returned frame 1");
    }

    [Fact]
    public async Task Corruption_follows_a_wrap_marker()
    {
        await CreateAndConnect("wrapped", payload: 4096);
        await _worker.PassAsync("the 'writer' process writes '2' frames with size '1500'"); // 3032 B; a third needs the wrap
        await _worker.PassAsync("the 'reader' process should read '2' frames with size '1500' in order");
        await _worker.PassAsync("the 'writer' process writes frame with size '1500'"); // marker at 3032, frame 3 at 0

        StepOutcome edit = await _worker.PassAsync("the 'writer' process sets the sequence of the next unread frame to '7'");

        Assert.Equal(0L, Convert.ToInt64(edit.Data!["offset"]));
        await _worker.PassAsync("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '3' and actual '7'");
    }

    [Fact]
    public async Task Records_catch_a_field_left_from_another_record()
    {
        await CreateAndConnect("records");
        await _worker.PassAsync("the 'writer' process starts writing '3' records of '4' fields under CPU load in the background");
        await _worker.PassAsync("the 'writer' process should finish writing within '5000' ms");
        await _worker.PassAsync("the 'reader' process should read '2' records of '4' fields in order, each whole");

        // Field 2 of record 3 is rewritten with record 1's value, as a half-written record would leave it.
        FrameHeaderState third = BufferEditor.ReadFrameHeader(Buffer("records"), 2 * (16 + 32));
        Assert.Equal(new FrameHeaderState(32, 3), third);
        BufferEditor.WriteRegionBytes(Buffer("records"), BufferRegion.Payload, (2 * (16 + 32)) + 16 + 16, BitConverter.GetBytes((1UL << 32) | 2));

        await Fails("the 'reader' process should read '1' records of '4' fields in order, each whole", "Record 3", "field 2 of 4");
    }
}
