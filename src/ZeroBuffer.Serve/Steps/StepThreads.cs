namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Dedicated threads for step methods, which block on the library (and so stay off the thread
/// pool that serves the RPC). A thread that has finished a step waits a while for the next one,
/// so a step costs a hand-over rather than a thread start (about 200 µs on a busy 2-core host);
/// a step that stays blocked keeps its thread, and the next step gets another.
/// </summary>
/// <remarks>
/// Each step is handed to one idle thread directly (or to a new thread), never put in a shared
/// queue: with a queue, a thread counted as idle could take the first of two quick steps, block in
/// it, and leave the second waiting behind it.
/// </remarks>
public sealed class StepThreads
{
    /// <summary>How long an idle thread waits for another step before it ends.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<StepThread> _idle = [];
    private int _started;

    /// <summary>Threads started so far (for tests).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Runs <paramref name="work"/> on a step thread; the task completes with what it returns or throws.</summary>
    public Task<object?> Run(Func<object?> work)
    {
        var item = new WorkItem(work);
        StepThread? idle = null;
        lock (_gate)
        {
            if (_idle.Count > 0)
            {
                idle = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }
        }

        if (idle is not null)
        {
            idle.Hand(item);
        }
        else
        {
            Interlocked.Increment(ref _started);
            var thread = new StepThread(this, item);
            new Thread(thread.Serve) { IsBackground = true, Name = "step" }.Start();
        }

        return item.Completion.Task;
    }

    private void BecomeIdle(StepThread thread)
    {
        lock (_gate)
        {
            _idle.Add(thread);
        }
    }

    /// <summary>True when <paramref name="thread"/> was still idle and is now retired; false when a step was just handed to it.</summary>
    private bool TryRetire(StepThread thread)
    {
        lock (_gate)
        {
            return _idle.Remove(thread);
        }
    }

    private sealed class StepThread(StepThreads owner, WorkItem first)
    {
        private readonly SemaphoreSlim _handed = new(0, 1);
        private WorkItem? _next;

        public void Hand(WorkItem item)
        {
            Volatile.Write(ref _next, item);
            _handed.Release();
        }

        public void Serve()
        {
            WorkItem item = first;
            while (true)
            {
                item.Execute(onDone: () => owner.BecomeIdle(this));
                if (!_handed.Wait(IdleLifetime))
                {
                    if (owner.TryRetire(this))
                    {
                        _handed.Dispose();
                        return;
                    }

                    _handed.Wait(); // a step was handed over while the wait timed out: it is on its way
                }

                item = Volatile.Read(ref _next)!;
            }
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
