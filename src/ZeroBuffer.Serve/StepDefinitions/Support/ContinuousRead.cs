using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>What a continuous read ended with: frames read, the last sequence and how long it ran.</summary>
public sealed record ContinuousReadResult(long Frames, ulong LastSequence, TimeSpan Elapsed);

/// <summary>
/// Reads pattern frames of one size from a reader on a thread of its own until asked to stop, each
/// frame in order (sequence = previous + 1) and whole, so a long write-read run needs no step that
/// lasts as long as the run. Once asked to stop it drains: it ends at the first read that finds no
/// frame within <see cref="DrainWait"/> (the writer has stopped by then).
/// </summary>
public sealed class ContinuousRead : ContinuousWork<ContinuousReadResult>
{
    /// <summary>Each read waits this long, so a stop request is seen soon after an idle spell.</summary>
    private static readonly TimeSpan ReadSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>After a stop request, a frame-less read this long means the buffer is drained.</summary>
    private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(500);

    private readonly ReaderState _state;
    private readonly int _size;

    private ContinuousRead(ReaderState state, int size, CancellationToken scenario)
        : base(scenario)
    {
        _state = state;
        _size = size;
    }

    public string Buffer => _state.Reader.Name;

    /// <summary>Starts reading; after <see cref="ContinuousWork{T}.RequestStop"/> it reads what is left, then ends.
    /// The task faults with the first error (library kind or a broken frame).</summary>
    public static ContinuousRead Start(ReaderState state, int size, CancellationToken scenario, ILogger logger) =>
        Launch(new ContinuousRead(state, size, scenario), logger);

    public override string Describe() => $"continuous read of {_size} B frames from '{Buffer}' ({Frames} read)";

    protected override ContinuousReadResult Run(CancellationToken token, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        logger.LogInformation("Continuous read of {Size} B frames from '{Buffer}' started", _size, Buffer);
        while (true)
        {
            token.ThrowIfCancellationRequested();
            bool draining = StopRequested;
            using Frame frame = _state.Reader.ReadFrame(draining ? DrainWait : ReadSlice);
            if (!frame.IsValid)
            {
                if (draining)
                {
                    break;
                }

                continue;
            }

            Check(frame);
            _state.LastSequence = frame.Sequence;
            CountFrame();
        }

        logger.LogInformation("Continuous read from '{Buffer}' drained after {Frames} frames", Buffer, Frames);
        return new ContinuousReadResult(Frames, _state.LastSequence, clock.Elapsed);
    }

    private void Check(Frame frame)
    {
        if (frame.Sequence != _state.ExpectedNext)
        {
            throw new StepAssertionException($"Buffer '{Buffer}': after {Frames} frames expected sequence {_state.ExpectedNext}, got {frame.Sequence}.");
        }

        if (frame.Size != _size)
        {
            throw new StepAssertionException($"Buffer '{Buffer}': frame {frame.Sequence} has {frame.Size} bytes, expected {_size}.");
        }

        int at = Patterns.FindFrameMismatch(frame.Span, frame.Sequence);
        if (at >= 0)
        {
            throw new StepAssertionException($"Buffer '{Buffer}': frame {frame.Sequence} breaks the pattern at byte {at}: expected {Patterns.FrameByte(frame.Sequence, at)}, got {frame.Span[at]}.");
        }
    }
}
