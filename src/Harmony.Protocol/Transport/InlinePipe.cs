using System.IO.Pipelines;

namespace Harmony.Protocol.Transport;

/// <summary>
/// A <see cref="Pipe"/> fed by a thread blocked in reads of a stream, whose reader (StreamJsonRpc's read
/// loop) runs on that same thread: a message is parsed and handled where it was read, without the
/// thread-pool hops of an asynchronous stream read. The orchestrator reads each worker's stdout this way,
/// and a worker its stdin.
/// </summary>
public static class InlinePipe
{
    private const int ReadSize = 4096;

    /// <summary>A pipe whose reader and writer run inline and whose flushes never wait for the reader.</summary>
    /// <remarks>No back-pressure: a flush must never wait, or the thread that would read on is the one waiting.</remarks>
    public static Pipe Create() => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        useSynchronizationContext: false));

    /// <summary>
    /// One blocking read of <paramref name="source"/> into <paramref name="target"/>, flushed: the waiting
    /// reader runs on this thread before the call returns. False once there is nothing more to pump (the
    /// source ended, or the reader is done); <paramref name="target"/> is then completed.
    /// </summary>
    /// <exception cref="IOException">The read failed; the caller completes <paramref name="target"/> with it.</exception>
    public static bool PumpOnce(Stream source, PipeWriter target)
    {
        int read = source.Read(target.GetMemory(ReadSize).Span);
        if (read > 0)
        {
            target.Advance(read);
            ValueTask<FlushResult> flushing = target.FlushAsync();
            FlushResult flushed = flushing.IsCompletedSuccessfully ? flushing.Result : flushing.AsTask().GetAwaiter().GetResult();
            if (!flushed.IsCompleted)
            {
                return true;
            }
        }

        target.Complete();
        return false;
    }
}
