namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Dedicated threads for step methods, which block on the library (and so stay off the thread
/// pool that serves the RPC). A step started on the thread that reads requests runs on that thread
/// instead (<see cref="InlineSteps"/>); these threads take the others (a batch's, a step that waited
/// for the previous one). A thread that has finished a step waits a while for the next one,
/// so a step costs a hand-over rather than a thread start (about 200 µs on a busy 2-core host);
/// a step that stays blocked keeps its thread, and the next step gets another.
/// </summary>
/// <remarks>
/// Each step is handed to one idle thread directly (or to a new thread), never put in a shared
/// queue: with a queue, a thread counted as idle could take the first of two quick steps, block in
/// it, and leave the second waiting behind it.
/// </remarks>
public sealed class StepThreads(InlineSteps? inline = null)
{
    /// <summary>How long an idle thread waits for another step before it ends.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<StepThread> _idle = [];
    private int _started;

    /// <summary>Threads started so far (for tests).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>The step whose task is <paramref name="run"/> was given up on (its thread may stay blocked in it).</summary>
    public void Abandon(Task<object?> run) => inline?.Abandon(run);

    /// <summary>Runs <paramref name="work"/> on the reading thread or a step thread; the task completes with what it returns or throws.</summary>
    public Task<object?> Run(Func<object?> work)
    {
        if (inline is not null && inline.TryDefer(work, out Task<object?>? deferred))
        {
            return deferred;
        }

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
        // Blocks at once, no spinning: SemaphoreSlim spins with sched_yield first, and on a loaded
        // 2-core host a yielding thread can wait out a whole scheduler tick (4 ms) before it sees
        // the step, where a blocked one is woken straight away.
        private readonly ManualResetEventSlim _handed = new(initialState: false, spinCount: 0);
        private WorkItem? _next;

        public void Hand(WorkItem item)
        {
            Volatile.Write(ref _next, item);
            _handed.Set();
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

                // Reset before the step runs: the next hand-over comes only after this thread is idle again.
                _handed.Reset();
                item = Volatile.Read(ref _next)!;
            }
        }
    }

    private sealed class WorkItem(Func<object?> work)
    {
        // The awaiting RPC code (the rest of the invocation and the reply) runs on this thread when
        // the step ends: a hop to the thread pool cost a quarter of a quick step's round trip on a
        // 2-core host. The thread is already idle by then; a step handed to it meanwhile starts once
        // the reply is written.
        public TaskCompletionSource<object?> Completion { get; } = new();

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
