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
public sealed class ContinuousWrite : ContinuousWork<ContinuousWriteResult>
{
    private readonly Writer _writer;
    private readonly int _size;

    private ContinuousWrite(Writer writer, int size, CancellationToken scenario)
        : base(scenario)
    {
        _writer = writer;
        _size = size;
    }

    public string Buffer => _writer.Name;

    /// <summary>Starts writing; after <see cref="ContinuousWork{T}.RequestStop"/> it finishes the frame in progress
    /// and ends. The task faults with the library error that stopped it.</summary>
    public static ContinuousWrite Start(Writer writer, int size, CancellationToken scenario, ILogger logger) =>
        Launch(new ContinuousWrite(writer, size, scenario), logger);

    public override string Describe() => $"continuous write of {_size} B frames to '{Buffer}' ({Frames} written)";

    protected override ContinuousWriteResult Run(CancellationToken token, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        ulong last = 0;
        logger.LogInformation("Continuous write of {Size} B frames to '{Buffer}' started", _size, Buffer);
        while (!StopRequested)
        {
            token.ThrowIfCancellationRequested();
            Span<byte> frame = _writer.GetFrameBuffer(_size, out ulong sequence);
            Patterns.FillFrame(frame, sequence);
            _writer.CommitFrame();
            last = sequence;
            CountFrame();
        }

        logger.LogInformation("Continuous write to '{Buffer}' stopped after {Frames} frames", Buffer, Frames);
        return new ContinuousWriteResult(Frames, last, clock.Elapsed);
    }
}
