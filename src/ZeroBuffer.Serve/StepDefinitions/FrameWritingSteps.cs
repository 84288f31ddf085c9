using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Writing pattern frames in the foreground (features 01-04).</summary>
public sealed class FrameWritingSteps(ZeroBufferContext context, ILogger<FrameWritingSteps> logger)
{
    [When(Role + "writes frame with size " + Int)]
    public StepData WriteFrame(string role, int size)
    {
        Writer writer = context.IdleWriter();
        var clock = Stopwatch.StartNew();
        ulong sequence = Write(writer, size);
        logger.LogInformation("Wrote frame {Sequence} ({Size} B) to '{Buffer}'", sequence, size, writer.Name);
        return new StepData { ["buffer"] = writer.Name, ["sequence"] = sequence, ["size"] = size, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [When(Role + "writes " + Count + " frames with size " + Int)]
    public StepData WriteFrames(string role, int count, int size, CancellationToken ct)
    {
        Writer writer = context.IdleWriter();
        var clock = Stopwatch.StartNew();
        ulong first = 0;
        ulong last = 0;
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            last = Write(writer, size);
            if (i == 0)
            {
                first = last;
            }
        }

        logger.LogInformation("Wrote {Count} frames of {Size} B to '{Buffer}' (sequences {First}-{Last})", count, size, writer.Name, first, last);
        return new StepData
        {
            ["buffer"] = writer.Name,
            ["count"] = count,
            ["size"] = size,
            ["firstSequence"] = first,
            ["lastSequence"] = last,
            [Elapsed.Key] = Elapsed.Milliseconds(clock),
        };
    }

    [Then(Role + "should fail to write frame with size " + Int + " with " + Kind)]
    public StepData FailToWriteFrame(string role, int size, string kind)
    {
        Writer writer = context.IdleWriter();
        var clock = Stopwatch.StartNew();
        StepData data = ErrorKinds.ExpectFailure(kind, $"writing a {size} B frame to '{writer.Name}' (write timeout {writer.WriteTimeout.TotalMilliseconds:0} ms)",
            () => Write(writer, size));
        data["buffer"] = writer.Name;
        data["size"] = size;
        data[Elapsed.Key] = Elapsed.Milliseconds(clock);
        return data;
    }

    [Then(Role + "should fail to write frame with size " + Int + " with " + Kind + " after the write timeout")]
    public StepData FailToWriteFrameAfterTimeout(string role, int size, string kind)
    {
        double timeoutMs = context.IdleWriter().WriteTimeout.TotalMilliseconds;
        StepData data = FailToWriteFrame(role, size, kind);
        Timing.ExpectWaited($"Writing a {size} B frame to '{data["buffer"]}' failed with '{kind}'", (double)data[Elapsed.Key]!, timeoutMs);
        data["writeTimeoutMs"] = timeoutMs;
        return data;
    }

    /// <summary>Zero-copy: fill the frame in place with the pattern of the sequence the library assigned.</summary>
    internal static ulong Write(Writer writer, int size)
    {
        Span<byte> frame = writer.GetFrameBuffer(size, out ulong sequence);
        Patterns.FillFrame(frame, sequence);
        writer.CommitFrame();
        return sequence;
    }
}
