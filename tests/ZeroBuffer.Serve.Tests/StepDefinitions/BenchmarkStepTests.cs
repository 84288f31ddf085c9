using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>The benchmark phrases against the real library in this process (both roles in one worker, as same-process mode).</summary>
[Collection(StaleBufferCollection.Name)]
public sealed class BenchmarkStepTests : IAsyncLifetime
{
    private readonly InProcessWorker _worker = new();

    public Task InitializeAsync() => _worker.StartAsync();

    public async Task DisposeAsync() => await _worker.DisposeAsync();

    private async Task Fails(string text, params string[] fragments)
    {
        StepOutcome outcome = await _worker.RunAsync(text);
        Assert.False(outcome.Success, $"{text} passed");
        Assert.Equal(ErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.All(fragments, f => Assert.Contains(f, outcome.Error));
    }

    [Fact]
    public async Task A_timed_stream_is_measured_by_both_roles_with_a_memcpy_baseline()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'bench' with metadata size '1024' and payload size '1048576'");
        await _worker.PassAsync("the 'writer' process connects to buffer 'bench'");
        await _worker.PassAsync("the 'writer' process starts writing frames of size '1024' for '1' seconds in the background");

        StepOutcome reader = await _worker.PassAsync("the 'reader' process should read the timed frames of size '1024' measuring throughput");
        StepOutcome writer = await _worker.PassAsync("the 'writer' process should finish the benchmark writing within '10000' ms");

        Assert.Equal("throughput", reader.Data!["measurement"]);
        Assert.Equal("memcpy", reader.Data["baselineName"]);
        var metrics = Assert.IsType<Dictionary<string, double>>(reader.Data["metrics"]);
        Assert.True(metrics["frames_per_s"] > 0 && metrics["gb_per_s"] > 0 && metrics["frame_bytes"] == 1024, string.Join(", ", metrics));
        Assert.True(Assert.IsType<Dictionary<string, double>>(reader.Data["baseline"])["gb_per_s"] > 0);
        Assert.Equal("writer", writer.Data!["side"]);
        Assert.True(Assert.IsType<Dictionary<string, double>>(writer.Data["metrics"])["cpu_pct"] > 0);
        await _worker.PassAsync("the 'reader' process should have measured 'frames_per_s' above '0'");
        await Fails("the 'reader' process should have measured 'frames_per_s' below '1'", "'frames_per_s' below 1");
    }

    [Fact]
    public async Task Bounds_name_what_is_missing()
    {
        await Fails("the 'reader' process should have measured 'p50_us' below '1000'", "has measured nothing");
        await _worker.PassAsync("the 'reader' process creates buffer 'bench-barrier' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync("the 'reader' process should measure the cost of a memory barrier over '1000' operations");
        await Fails("the 'reader' process should have measured 'p50_us' below '1000'", "no 'p50_us'", "ns_per_barrier");
        await Fails("the 'reader' process should have measured 'ns_per_barrier' below '0'", "measured");
    }

    [Fact]
    public async Task An_idle_reader_must_get_no_frame()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'bench-idle' with metadata size '1024' and payload size '10240'");
        await _worker.PassAsync("the 'writer' process connects to buffer 'bench-idle'");
        await _worker.PassAsync("the 'writer' process writes frame with size '64'");
        await Fails("the 'reader' process should use less than '100' percent CPU waiting '100' ms for a frame", "frame 1 arrived");
    }

    [Fact]
    public async Task Degradation_is_seen_and_recovery_follows()
    {
        await _worker.PassAsync("the 'reader' process creates buffer 'bench-degrade' with metadata size '1024' and payload size '65536'");
        await _worker.PassAsync("the 'writer' process connects to buffer 'bench-degrade'");
        await _worker.PassAsync("the 'writer' process starts writing frames of size '1024' at '2000' frames per second for '1' seconds in the background");

        StepOutcome outcome = await _worker.PassAsync("the 'reader' process should see the buffer degrade and recover reading frames of size '1024' with '2' ms delay over a '50' ms window");
        await _worker.PassAsync("the 'writer' process should finish the benchmark writing within '10000' ms");

        var metrics = Assert.IsType<Dictionary<string, double>>(outcome.Data!["metrics"]);
        Assert.True(metrics["max_utilization_pct"] > 80, string.Join(", ", metrics));
        Assert.True(metrics["time_to_degrade_ms"] >= 50 && metrics["time_to_recover_ms"] >= 50, string.Join(", ", metrics));
    }
}
