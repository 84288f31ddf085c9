using Harmony.Protocol.Messages;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>
/// The feature 12 phrases (stress) against the real library in this process: each passes on a healthy
/// run and fails, naming what it saw, when a descriptor or memory leaks, a frame breaks, the system never
/// refuses, or a writer never meets the buffer in transition.
/// </summary>
[Collection(StaleBufferCollection.Name)]
public sealed class StressStepTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private string Buffer(string name) => $"{_worker.RunId}-{name}";

    private static double Metric(StepOutcome outcome, string name) => ((IReadOnlyDictionary<string, double>)outcome.Data!["metrics"]!)[name];

    private async Task<string> Fails(string text, params string[] fragments)
    {
        StepOutcome outcome = await _worker.RunAsync(text);
        Assert.False(outcome.Success, $"{text} passed");
        Assert.Equal(ErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.All(fragments, f => Assert.Contains(f, outcome.Error));
        return outcome.Error!;
    }

    [Fact]
    public void The_flat_rule_allows_two_mebibytes_or_fifteen_percent()
    {
        Assert.Equal(2048, new ResourceSample(10_000, 5).AllowedGrowthKib);
        Assert.Equal(15_000, new ResourceSample(100_000, 5).AllowedGrowthKib);
        Assert.Empty(new ResourceSample(100_000, 5).ProblemsAt(new ResourceSample(115_000, 5)));
        Assert.Contains("RSS grew", new ResourceSample(100_000, 5).ProblemsAt(new ResourceSample(115_001, 5)).Single());
        Assert.Contains("from 5 to 4", new ResourceSample(100_000, 5).ProblemsAt(new ResourceSample(100_000, 4)).Single());
    }

    [Fact]
    public async Task Flat_passes_untouched_and_fails_on_a_leaked_descriptor()
    {
        await _worker.PassAsync("the 'reader' process records its resource usage");
        StepOutcome flat = await _worker.PassAsync("the 'reader' process should have kept its resource usage flat");
        Assert.Equal(Metric(flat, "fds_start"), Metric(flat, "fds_end"));

        using (File.OpenRead("/dev/null"))
        {
            await Fails("the 'reader' process should have kept its resource usage flat", "'reader' process did not stay flat", "open descriptors went from");
        }
    }

    [Fact]
    public async Task Flat_fails_on_grown_memory()
    {
        await _worker.PassAsync("the 'writer' process records its resource usage");
        byte[] grown = new byte[64 << 20];
        Array.Fill(grown, (byte)1); // written pages: resident

        await Fails("the 'writer' process should have kept its resource usage flat", "RSS grew");
        GC.KeepAlive(grown);
    }

    [Fact]
    public async Task Flat_needs_a_baseline_of_its_role()
    {
        await _worker.PassAsync("the 'reader' process records its resource usage");
        StepOutcome outcome = await _worker.RunAsync("the 'writer' process should have kept its resource usage flat");
        Assert.False(outcome.Success);
        Assert.Contains("'writer' process recorded no resource usage", outcome.Error);
    }

    [Fact]
    public async Task A_continuous_run_reads_every_frame_in_order()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'run' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync("the 'writer' process connects to buffer 'run'");
        await _worker.PassAsync("the 'reader' process starts reading frames with size '1024' continuously in the background");
        await _worker.PassAsync("the 'writer' process starts writing frames with size '1024' continuously in the background");
        await Task.Delay(300);

        StepOutcome written = await _worker.PassAsync("the 'writer' process stops writing continuously without error");
        StepOutcome read = await _worker.PassAsync("the 'reader' process stops reading continuously and should have read every written frame in order");

        Assert.True(Metric(read, "frames") > 0);
        Assert.Equal(Metric(written, "frames"), Metric(read, "frames"));
        Assert.Equal(written.Data!["lastSequence"], read.Data!["lastSequence"]);
    }

    [Fact]
    public async Task A_broken_frame_fails_the_continuous_read()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'broken' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync("the 'reader' process starts reading frames with size '64' continuously in the background");
        using (var writer = new Writer(Buffer("broken")))
        {
            writer.GetFrameBuffer(64, out _).Clear(); // sequence 1 wants byte i = (1 + i) & 0xFF
            writer.CommitFrame();
        }

        await Fails("the 'reader' process stops reading continuously and should have read every written frame in order", "breaks the pattern at byte 0");
    }

    [Fact]
    public async Task Stopping_what_never_started_fails()
    {
        StepOutcome write = await _worker.RunAsync("the 'writer' process stops writing continuously without error");
        StepOutcome connect = await _worker.RunAsync("the 'writer' process stops connecting and should have seen only connections and clean refusals");

        Assert.Contains("no 'starts writing frames ... continuously' step", write.Error);
        Assert.Contains("no 'starts connecting to buffer", connect.Error);
    }

    [Fact]
    public async Task Buffers_until_refused_end_in_a_clean_resource_exhausted()
    {
        StepOutcome refused = await _worker.PassAsync("the 'reader' process creates buffers 'limit' until one fails with 'ResourceExhausted' under an open-file limit of '20' more descriptors");
        double buffers = Metric(refused, "buffers");
        Assert.InRange(buffers, 1, 21); // at least one descriptor a buffer, and the listing's own counted among those open
        Assert.DoesNotContain(BufferObjectFiles.Of((string)refused.Data!["buffer"]!), f => f.Exists);

        StepOutcome closed = await _worker.PassAsync("the 'reader' process closes all its readers");

        Assert.Equal(buffers, Convert.ToDouble(closed.Data!["count"]));
        Assert.Empty(BufferObjectFiles.NamedAfter(Buffer("limit-")));
    }

    [Fact]
    public async Task Buffers_until_refused_fails_on_another_kind() =>
        await Fails("the 'reader' process creates buffers 'other' until one fails with 'BufferFull' under an open-file limit of '20' more descriptors",
            "fail with 'BufferFull', but it failed with 'ResourceExhausted'");

    [Fact]
    public async Task Connect_attempts_that_never_meet_a_buffer_fail()
    {
        await _worker.PassAsync("the 'writer' process starts connecting to buffer 'nowhere' over and over in the background");
        await Task.Delay(50);

        await Fails("the 'writer' process stops connecting and should have seen only connections and clean refusals", "never met the buffer in transition: 0 connections");
    }

    [Fact]
    public async Task Connect_attempts_meet_a_cycling_buffer_cleanly()
    {
        await _worker.PassAsync("the 'writer' process starts connecting to buffer 'cycles' over and over in the background");
        StepOutcome cycled = await _worker.PassAsync("the 'reader' process creates and destroys buffer 'cycles' '100' times");
        StepOutcome connected = await _worker.PassAsync("the 'writer' process stops connecting and should have seen only connections and clean refusals");

        Assert.Equal(100, Metric(cycled, "cycles"));
        Assert.True(Metric(connected, "connects") >= 1);
        Assert.True(Metric(connected, "refused_BufferNotFound") >= 1);
        Assert.Empty(BufferObjectFiles.NamedAfter(Buffer("cycles")));
    }
}
