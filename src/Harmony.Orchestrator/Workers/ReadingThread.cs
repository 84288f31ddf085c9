using System.IO.Pipelines;
using Harmony.Protocol.Transport;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Reads a worker's stdout and stderr with blocking reads, each on a thread of its own. The pipe stream's
/// own asynchronous read waits in .NET's socket engine: its event thread wakes on the data and queues the
/// continuation to the thread pool, two thread switches before a reply is even parsed. Here the kernel
/// wakes the one thread blocked in <c>read(2)</c>. A stream costs one mostly sleeping thread.
/// </summary>
internal static class ReadingThread
{
    /// <summary>
    /// Hands what <paramref name="source"/> yields to a <see cref="PipeReader"/> whose reader runs on the
    /// reading thread: StreamJsonRpc's read loop (the pipe's inline reader scheduler) parses a reply right
    /// there. The thread ends when the stream ends or fails, or the reader is completed.
    /// </summary>
    public static PipeReader Start(Stream source, string name)
    {
        Pipe pipe = InlinePipe.Create();
        StartThread(name, () => InlinePipe.Pump(source, pipe.Writer));
        return pipe.Reader;
    }

    /// <summary>
    /// Passes each line of <paramref name="source"/> to <paramref name="onLine"/> on the reading thread; the
    /// task completes when the stream ends or breaks (what was read is kept). Read this way, a line a worker
    /// logs just before its reply reaches <paramref name="onLine"/> before the reply is handled, as a failure
    /// report expects, instead of queueing behind the thread pool while the reply overtakes it.
    /// </summary>
    public static Task ReadLinesAsync(Stream source, string name, Action<string> onLine)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StartThread(name, () =>
        {
            try
            {
                using var lines = new StreamReader(source, leaveOpen: true);
                while (lines.ReadLine() is { } line)
                {
                    onLine(line);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe broke with the process.
            }
            finally
            {
                ended.TrySetResult();
            }
        });
        return ended.Task;
    }

    private static void StartThread(string name, Action read) =>
        new Thread(new ThreadStart(read)) { IsBackground = true, Name = name }.Start();
}
