using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.StepDefinitions.Support;
using ZeroBuffer.Serve.Steps;
using static ZeroBuffer.Serve.StepDefinitions.Phrases;

namespace ZeroBuffer.Serve.StepDefinitions;

/// <summary>Reading and checking frames (features 01-04).</summary>
public sealed class FrameReadingSteps(ZeroBufferContext context, ILogger<FrameReadingSteps> logger)
{
    /// <summary>STEPS.md: reads wait 5000 ms unless the step names a time.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(5000);

    [Then(Role + "should read frame with sequence " + Count + " and size " + Int)]
    public StepData ReadFrame(string role, ulong sequence, int size)
    {
        ReaderState state = context.CurrentReader;
        var clock = Stopwatch.StartNew();
        ReadOne(state, sequence, size);
        logger.LogInformation("Read frame {Sequence} ({Size} B) from '{Buffer}'", sequence, size, state.Reader.Name);
        return new StepData { ["buffer"] = state.Reader.Name, ["sequence"] = sequence, ["size"] = size, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [Then(Role + "should read " + Count + " frames with size " + Int + " in order")]
    public StepData ReadFramesInOrder(string role, int count, int size, CancellationToken ct) =>
        ReadMany(count, size, TimeSpan.Zero, ct);

    [Then(Role + "should read " + Count + " frames with size " + Int + " in order with " + Count + " ms delay")]
    public StepData ReadFramesInOrderWithDelay(string role, int count, int size, int delayMs, CancellationToken ct) =>
        ReadMany(count, size, TimeSpan.FromMilliseconds(delayMs), ct);

    [Then(Role + "should receive no frame within " + Count + " ms")]
    public StepData ShouldReceiveNoFrame(string role, int milliseconds)
    {
        ReaderState state = context.CurrentReader;
        var clock = Stopwatch.StartNew();
        using (Frame frame = state.Reader.ReadFrame(TimeSpan.FromMilliseconds(milliseconds)))
        {
            if (frame.IsValid)
            {
                state.LastSequence = frame.Sequence;
                throw new StepAssertionException(
                    $"Expected no frame in '{state.Reader.Name}' within {milliseconds} ms, but received frame {frame.Sequence} ({frame.Size} B).");
            }
        }

        return new StepData { ["buffer"] = state.Reader.Name, ["waitedMs"] = milliseconds, [Elapsed.Key] = Elapsed.Milliseconds(clock) };
    }

    [Then(Role + "should fail to read a frame within " + Count + " ms with " + Kind)]
    public StepData FailToRead(string role, int milliseconds, string kind) =>
        ExpectReadFailure(context, kind, milliseconds, $"within {milliseconds} ms");

    [Then(Role + "should fail to read a frame with " + Kind + " after waiting " + Count + " ms")]
    public StepData FailToReadAfterWaiting(string role, string kind, int milliseconds)
    {
        StepData data = ExpectReadFailure(context, kind, milliseconds, $"with a {milliseconds} ms timeout");
        Timing.ExpectWaited($"Reading a frame from '{data["buffer"]}' failed with '{kind}'", (double)data[Elapsed.Key]!, milliseconds);
        return data;
    }

    /// <summary>A read of the current reader with that timeout must fail with <paramref name="kind"/>; data: buffer, errorType, message, elapsedMs.</summary>
    internal static StepData ExpectReadFailure(ZeroBufferContext context, string kind, int milliseconds, string how)
    {
        ReaderState state = context.CurrentReader;
        string operation = $"reading a frame from '{state.Reader.Name}' {how}";
        var clock = Stopwatch.StartNew();
        StepData data = ErrorKinds.ExpectFailure(kind, operation, () =>
        {
            using Frame frame = state.Reader.ReadFrame(TimeSpan.FromMilliseconds(milliseconds));
            if (frame.IsValid)
            {
                state.LastSequence = frame.Sequence;
                throw new StepAssertionException(
                    $"Expected {operation} to fail with '{kind}', but it returned frame {frame.Sequence} ({frame.Size} B).");
            }

            throw new StepAssertionException($"Expected {operation} to fail with '{kind}', but it timed out without an error.");
        });
        data["buffer"] = state.Reader.Name;
        data[Elapsed.Key] = Elapsed.Milliseconds(clock);
        return data;
    }

    private StepData ReadMany(int count, int size, TimeSpan delay, CancellationToken ct)
    {
        ReaderState state = context.CurrentReader;
        var clock = Stopwatch.StartNew();
        ulong first = state.ExpectedNext;
        for (int i = 0; i < count; i++)
        {
            if (delay > TimeSpan.Zero && ct.WaitHandle.WaitOne(delay))
            {
                ct.ThrowIfCancellationRequested();
            }

            ct.ThrowIfCancellationRequested();
            ReadOne(state, state.ExpectedNext, size, $" (frame {i + 1} of {count})");
        }

        logger.LogInformation("Read {Count} frames of {Size} B in order from '{Buffer}' (sequences {First}-{Last})",
            count, size, state.Reader.Name, first, state.LastSequence);
        return new StepData
        {
            ["buffer"] = state.Reader.Name,
            ["count"] = count,
            ["size"] = size,
            ["firstSequence"] = first,
            ["lastSequence"] = state.LastSequence,
            [Elapsed.Key] = Elapsed.Milliseconds(clock),
        };
    }

    /// <summary>Reads one frame and checks validity, sequence, size and every byte; releases it.</summary>
    private static void ReadOne(ReaderState state, ulong expectedSequence, int expectedSize, string position = "")
    {
        Reader reader = state.Reader;
        using Frame frame = reader.ReadFrame(ReadTimeout);
        if (!frame.IsValid)
        {
            throw new StepAssertionException(
                $"No frame arrived in '{reader.Name}' within {ReadTimeout.TotalMilliseconds:0} ms{position}; expected frame {expectedSequence} ({expectedSize} B).");
        }

        state.LastSequence = frame.Sequence;
        if (frame.Sequence != expectedSequence)
        {
            throw new StepAssertionException(
                $"Expected frame {expectedSequence} in '{reader.Name}'{position}, but read frame {frame.Sequence} ({frame.Size} B).");
        }

        if (frame.Size != expectedSize)
        {
            throw new StepAssertionException(
                $"Expected frame {expectedSequence} in '{reader.Name}' to be {expectedSize} B{position}, but it is {frame.Size} B.");
        }

        int mismatch = Patterns.FindFrameMismatch(frame.Span, frame.Sequence);
        if (mismatch >= 0)
        {
            throw new StepAssertionException(
                $"Frame {frame.Sequence} in '{reader.Name}'{position} breaks the pattern at byte {mismatch}: 0x{frame.Span[mismatch]:X2}, expected 0x{Patterns.FrameByte(frame.Sequence, mismatch):X2}.");
        }
    }
}
