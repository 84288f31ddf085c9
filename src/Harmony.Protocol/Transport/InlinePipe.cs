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
    /// Pumps <paramref name="source"/> into <paramref name="target"/> (<see cref="PumpOnce"/>) until the source
    /// ends, fails (<paramref name="target"/> is completed with the error) or <paramref name="beforeEachRead"/>
    /// returns false (<paramref name="target"/> is left as it is, for another thread to go on with).
    /// </summary>
    public static void Pump(Stream source, PipeWriter target, Func<bool>? beforeEachRead = null)
    {
        try
        {
            while ((beforeEachRead?.Invoke() ?? true) && PumpOnce(source, target))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            target.Complete(ex);
        }
    }

    /// <summary>
    /// One blocking read of <paramref name="source"/> into <paramref name="target"/>, flushed: the waiting
    /// reader runs on this thread before the call returns. False once there is nothing more to pump (the
    /// source ended, or the reader is done); <paramref name="target"/> is then completed.
    /// </summary>
    /// <exception cref="IOException">The read failed.</exception>
    private static bool PumpOnce(Stream source, PipeWriter target)
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
