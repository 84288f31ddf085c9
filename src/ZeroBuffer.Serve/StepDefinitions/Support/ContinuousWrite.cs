using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>What a continuous write did: frames written, the last sequence and how long it ran.</summary>
public sealed record ContinuousWriteResult(long Frames, ulong LastSequence, TimeSpan Elapsed);

/// <summary>
/// Writes pattern frames of one size through one writer on a thread of its own until asked to stop
/// (counts are 64-bit: a 24-hour run overflows an int). Unlike <see cref="BackgroundWrite"/> it has no
/// frame count: the run's length is the feature's wait between the start and stop steps.
/// </summary>
public sealed class ContinuousWrite
{
    private readonly Writer _writer;
    private readonly int _size;
    private readonly CancellationTokenSource _cancellation;
    private volatile bool _stopRequested;
    private long _frames;

    private ContinuousWrite(Writer writer, int size, CancellationToken scenario, ILogger logger)
    {
        _writer = writer;
        _size = size;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(() => Run(token, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Buffer => _writer.Name;

    /// <summary>Completes after <see cref="RequestStop"/>; faults with the library error that stopped it.</summary>
    public Task<ContinuousWriteResult> Task { get; }

    public long Frames => Interlocked.Read(ref _frames);

    public static ContinuousWrite Start(Writer writer, int size, CancellationToken scenario, ILogger logger) => new(writer, size, scenario, logger);

    public string Describe() => $"continuous write of {_size} B frames to '{Buffer}' ({Frames} written)";

    /// <summary>Finish the frame in progress, then end.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>End before the next frame (cleanup; a blocked write still ends at the write timeout).</summary>
    public void Cancel() => _cancellation.Cancel();

    private ContinuousWriteResult Run(CancellationToken token, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        ulong last = 0;
        logger.LogInformation("Continuous write of {Size} B frames to '{Buffer}' started", _size, Buffer);
        while (!_stopRequested)
        {
            token.ThrowIfCancellationRequested();
            Span<byte> frame = _writer.GetFrameBuffer(_size, out ulong sequence);
            Patterns.FillFrame(frame, sequence);
            _writer.CommitFrame();
            last = sequence;
            Interlocked.Increment(ref _frames);
        }

        logger.LogInformation("Continuous write to '{Buffer}' stopped after {Frames} frames", Buffer, Frames);
        return new ContinuousWriteResult(Frames, last, clock.Elapsed);
    }
}
