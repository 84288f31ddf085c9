using System.Collections.Concurrent;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Dedicated threads for step methods, which block on the library (and so stay off the thread
/// pool that serves the RPC). A thread that has finished a step waits a while for the next one,
/// so a step costs a hand-over rather than a thread start (about 200 µs on a busy 2-core host);
/// a step that stays blocked keeps its thread, and the next step gets another.
/// </summary>
public sealed class StepThreads
{
    /// <summary>How long an idle thread waits for another step before it ends.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private readonly BlockingCollection<WorkItem> _queue = [];
    private int _idle;
    private int _started;

    /// <summary>Threads started so far (for tests).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Runs <paramref name="work"/> on a step thread; the task completes with what it returns or throws.</summary>
    public Task<object?> Run(Func<object?> work)
    {
        var item = new WorkItem(work);
        _queue.Add(item);

        // Added first, counted second: an idle thread that is just giving up looks at the queue
        // once more after it stops counting itself, so the item is never left behind.
        if (Volatile.Read(ref _idle) == 0)
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _idle);
            new Thread(Serve) { IsBackground = true, Name = "step" }.Start();
        }

        return item.Completion.Task;
    }

    private void Serve()
    {
        while (true)
        {
            if (!_queue.TryTake(out WorkItem? item, IdleLifetime))
            {
                Interlocked.Decrement(ref _idle);
                if (!_queue.TryTake(out item))
                {
                    return;
                }

                Interlocked.Increment(ref _idle);
            }

            Interlocked.Decrement(ref _idle);
            item.Execute(onDone: () => Interlocked.Increment(ref _idle));
        }
    }

    private sealed class WorkItem(Func<object?> work)
    {
        // Continuations go to the pool: the awaiting RPC code must never run on a step thread.
        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Runs the work; <paramref name="onDone"/> runs before the result is released, so a step
        /// issued right after this one finds the thread idle.</summary>
        public void Execute(Action onDone)
        {
            object? result;
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                onDone();
                Completion.SetException(ex);
                return;
            }

            onDone();
            Completion.SetResult(result);
        }
    }
}
