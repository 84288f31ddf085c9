using System.IO.Pipelines;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Reads a worker's stdout with blocking reads on a thread of its own and hands the bytes to a
/// <see cref="PipeReader"/> whose reader runs on that thread. The pipe stream's own asynchronous read
/// waits in .NET's socket engine: its event thread wakes on the data and queues the continuation to
/// the thread pool, two thread switches before the reply is even parsed. Here the kernel wakes the
/// one thread blocked in <c>read(2)</c>, and StreamJsonRpc's read loop (the pipe's inline reader
/// scheduler) parses the reply right there. A worker costs one mostly sleeping thread.
/// </summary>
internal static class ReadingThread
{
    /// <summary>Starts the thread; it ends when the stream ends or fails, or the reader is completed.</summary>
    public static PipeReader Start(Stream source, string name)
    {
        // No back-pressure: a flush must never wait, or the thread that would read on is the one waiting.
        var pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            useSynchronizationContext: false));
        var thread = new Thread(() => Pump(source, pipe.Writer)) { IsBackground = true, Name = name };
        thread.Start();
        return pipe.Reader;
    }

    private static void Pump(Stream source, PipeWriter target)
    {
        try
        {
            while (true)
            {
                int read = source.Read(target.GetMemory(4096).Span);
                if (read == 0)
                {
                    break;
                }

                target.Advance(read);
                // Completes at once (no back-pressure); runs the waiting reader inline first.
                ValueTask<FlushResult> flushing = target.FlushAsync();
                FlushResult flushed = flushing.IsCompletedSuccessfully ? flushing.Result : flushing.AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted)
                {
                    break; // The RPC is done reading.
                }
            }

            target.Complete();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            target.Complete(ex);
        }
    }
}
