using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>Fills a frame the library handed out for <paramref name="sequence"/>.</summary>
public delegate void FrameFill(Span<byte> frame, ulong sequence);

/// <summary>
/// Frames (pattern frames unless told otherwise) written through one writer on a dedicated thread, so
/// a step can return while the writer blocks on a full buffer; optionally under CPU load (a spinning
/// thread per core while it writes). Joined by a later step or by cleanup.
/// </summary>
public sealed class BackgroundWrite : IBackgroundWork
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _written;
    private ulong _lastSequence;

    private readonly FrameFill _fill;
    private readonly bool _underLoad;

    private BackgroundWrite(Writer writer, int count, int size, FrameFill fill, bool underLoad, CancellationToken scenario, ILogger logger)
    {
        Writer = writer;
        Count = count;
        Size = size;
        _fill = fill;
        _underLoad = underLoad;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(
            () => Run(token, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public Writer Writer { get; }

    public int Count { get; }

    public int Size { get; }

    /// <summary>Completes when all frames are written; faults with the library error that stopped it.</summary>
    public Task Task { get; }

    public int Written => Volatile.Read(ref _written);

    public ulong LastSequence => Interlocked.Read(ref _lastSequence);

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>A blocked write ends at the writer's write timeout (5 s assumed when it has none).</summary>
    public TimeSpan CallTimeout => Writer.WriteTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(5) : Writer.WriteTimeout;

    public string Describe() => $"background write of {Count} x {Size} B frames to '{Writer.Name}'{(_underLoad ? " under CPU load" : "")} ({Written} written)";

    public static BackgroundWrite Start(Writer writer, int count, int size, CancellationToken scenario, ILogger logger, FrameFill? fill = null, bool underLoad = false) =>
        new(writer, count, size, fill ?? Patterns.FillFrame, underLoad, scenario, logger);

    /// <summary>Asks the work to stop before its next frame (a blocked write still ends at the write timeout).</summary>
    public void Cancel() => _cancellation.Cancel();

    private void Run(CancellationToken token, ILogger logger)
    {
        logger.LogInformation("Background: writing {Count} frames of {Size} B to '{Buffer}'", Count, Size, Writer.Name);
        using CpuLoad? load = _underLoad ? CpuLoad.Start(Environment.ProcessorCount) : null;
        try
        {
            for (int i = 0; i < Count; i++)
            {
                token.ThrowIfCancellationRequested();
                Span<byte> frame = Writer.GetFrameBuffer(Size, out ulong sequence);
                _fill(frame, sequence);
                Writer.CommitFrame();
                Interlocked.Exchange(ref _lastSequence, sequence);
                Interlocked.Increment(ref _written);
            }

            _clock.Stop();
            logger.LogInformation("Background: wrote {Count} frames to '{Buffer}' in {Elapsed} ms", Count, Writer.Name, (long)_clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            _clock.Stop();
            logger.LogInformation("Background: writing to '{Buffer}' stopped after {Written} of {Count} frames: {Error}", Writer.Name, Written, Count, ex.Message);
            throw;
        }
    }
}
