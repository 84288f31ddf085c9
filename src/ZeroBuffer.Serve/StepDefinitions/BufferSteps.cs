using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Diagnostics;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Creating buffers (stale ones too), connecting writers, timeouts and liveness (features 01-03).</summary>
public sealed class BufferSteps(ZeroBufferContext context, ILogger<BufferSteps> logger)
{
    /// <summary>The config of "should fail to create buffer" (STEPS.md).</summary>
    private const int ProbeMetadataSize = 1024;
    private const int ProbePayloadSize = 10240;

    /// <summary>STEPS.md polling phrases: how long a peer's connect or death may take to become visible, and how often to look.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(2000);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Posts on a stale buffer's frame semaphore, so a fresh semaphore (value 0) tells apart from the old one.</summary>
    private const int StaleFramePosts = 3;

    [Given(Role + "creates buffer " + Name + " with metadata size " + Int + " and payload size " + Int)]
    public StepData CreateBuffer(string role, string name, int metadataSize, int payloadSize)
    {
        ReaderState reader = context.CreateReader(name, metadataSize, payloadSize, role);
        logger.LogInformation("Created buffer '{Buffer}' (metadata {Metadata} B, payload {Payload} B)", reader.Reader.Name, metadataSize, payloadSize);
        return new StepData { ["buffer"] = reader.Reader.Name, ["metadataSize"] = metadataSize, ["payloadSize"] = payloadSize };
    }

    [Then(Role + "should fail to create buffer " + Name + " with " + Kind)]
    public StepData FailToCreateBuffer(string role, string name, string kind)
    {
        string qualified = context.Qualify(name);
        StepData data = ErrorKinds.ExpectFailure(kind, $"creating buffer '{qualified}'", () =>
        {
            // Nothing is stored: a reader that unexpectedly succeeds is closed again at once.
            using var reader = new Reader(qualified, new BufferConfig(ProbeMetadataSize, ProbePayloadSize));
        });
        data["buffer"] = qualified;
        return data;
    }

    [Given(Role + "connects to buffer " + Name)]
    public StepData ConnectToBuffer(string role, string name)
    {
        Writer writer = context.ConnectWriter(name, role);
        logger.LogInformation("Connected a writer to '{Buffer}'", writer.Name);
        return new StepData { ["buffer"] = writer.Name };
    }

    [Then(Role + "should fail to connect to buffer " + Name + " with " + Kind)]
    public StepData FailToConnect(string role, string name, string kind)
    {
        string qualified = context.Qualify(name);
        StepData data = ErrorKinds.ExpectFailure(kind, $"connecting to buffer '{qualified}'", () =>
        {
            using var writer = new Writer(qualified);
        });
        data["buffer"] = qualified;
        return data;
    }

    [Given(Role + "leaves stale resources for buffer " + Name + " with payload size " + Int)]
    public StepData LeaveStaleResources(string role, string name, int payloadSize)
    {
        string qualified = context.Qualify(name);
        var reader = new Reader(qualified, new BufferConfig(ProbeMetadataSize, payloadSize));
        try
        {
            BufferEditor.PostSemaphore(qualified, written: true, StaleFramePosts);
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        Abandonment.Abandon(reader);
        context.CurrentBuffer = qualified;
        logger.LogInformation("Left stale resources of '{Buffer}' (payload {Payload} B, {Posts} frame posts)", qualified, payloadSize, StaleFramePosts);
        return new StepData { ["buffer"] = qualified, ["payloadSize"] = payloadSize, ["framePosts"] = StaleFramePosts };
    }

    [Given(Role + "sets write timeout to " + Count + " ms")]
    public StepData SetWriteTimeout(string role, int milliseconds)
    {
        context.SetWriteTimeout(TimeSpan.FromMilliseconds(milliseconds));
        logger.LogInformation("Write timeout set to {Timeout} ms", milliseconds);
        return new StepData { ["writeTimeoutMs"] = milliseconds };
    }

    [Then(Role + "should see the reader (connected|disconnected)")]
    public StepData ShouldSeeReader(string role, ConnectionState expected, CancellationToken ct)
    {
        Writer writer = context.CurrentWriter;
        bool connected = expected == ConnectionState.Connected;
        var clock = Stopwatch.StartNew();
        if (!Settle(() => writer.IsReaderConnected() == connected, ct))
        {
            throw new StepAssertionException(
                $"Expected the writer of '{writer.Name}' to see the reader {Describe(expected)}, but it still saw it {Describe(!connected)} after {clock.Elapsed.TotalMilliseconds:0} ms.");
        }

        return new StepData { ["buffer"] = writer.Name, ["readerConnected"] = connected, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [Then(Role + "should see the writer (connected|disconnected)")]
    public StepData ShouldSeeWriter(string role, ConnectionState expected, CancellationToken ct)
    {
        Reader reader = context.CurrentReader.Reader;
        bool connected = expected == ConnectionState.Connected;
        var clock = Stopwatch.StartNew();
        if (!Settle(() => reader.IsWriterConnected() == connected, ct))
        {
            throw new StepAssertionException(
                $"Expected the reader of '{reader.Name}' to see the writer {Describe(expected)}, but it still saw it {Describe(!connected)} after {clock.Elapsed.TotalMilliseconds:0} ms.");
        }

        return new StepData { ["buffer"] = reader.Name, ["writerConnected"] = connected, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    private static string Describe(ConnectionState state) => Describe(state == ConnectionState.Connected);

    private static string Describe(bool connected) => connected ? "connected" : "disconnected";

    /// <summary>True as soon as <paramref name="condition"/> holds; false if it never did within the settle time.</summary>
    private static bool Settle(Func<bool> condition, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= SettleTime)
            {
                return false;
            }

            if (ct.WaitHandle.WaitOne(PollInterval))
            {
                ct.ThrowIfCancellationRequested();
            }
        }

        return true;
    }
}
