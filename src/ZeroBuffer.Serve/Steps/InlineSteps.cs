using System.Diagnostics.CodeAnalysis;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Lets the thread that reads requests run a step itself, between two reads. Handing each step to a
/// step thread cost a thread wake-up per step: about a third of a trivial step's round trip on a
/// 2-core host (p50 ~210 → ~145 µs in <c>harmony bench</c>).
/// </summary>
/// <remarks>
/// A reading thread (<see cref="EnterReading"/>) dispatches what it read; a step started there is
/// only recorded (<see cref="TryDefer"/>), so its caller has already set up the wait for it, with its
/// timeout, when the reading thread runs it (<see cref="RunDeferred"/>). While the step runs nobody
/// reads the input. If the step is given up on (<see cref="Abandon"/>: its timeout passed, or it was
/// cancelled) or input waits meanwhile (<see cref="InputWaiting"/>: a <c>$/cancelRequest</c>, the end of
/// the input), reading is handed over: a new reading thread is started (<see cref="StartReader"/>) and
/// the old one ends once its step returns.
/// </remarks>
public sealed class InlineSteps
{
    [ThreadStatic]
    private static InlineSteps? t_owner;

    [ThreadStatic]
    private static int t_generation;

    private readonly Lock _gate = new();
    private Deferred? _pending;
    private Deferred? _running;
    private int _generation;

    /// <summary>Starts a new reading thread; set by whoever reads the input. Called with no lock held.</summary>
    public Action? StartReader { get; set; }

    /// <summary>The calling thread reads requests from now on, and may run the steps it starts.</summary>
    public void EnterReading()
    {
        lock (_gate)
        {
            t_owner = this;
            t_generation = _generation;
        }
    }

    /// <summary>
    /// Records <paramref name="work"/> to run on this reading thread at its next <see cref="RunDeferred"/>;
    /// false (nothing recorded) on any other thread, or when a step is already recorded or running.
    /// </summary>
    public bool TryDefer(Func<object?> work, [NotNullWhen(true)] out Task<object?>? completion)
    {
        lock (_gate)
        {
            if (t_owner != this || t_generation != _generation || _pending is not null || _running is not null)
            {
                completion = null;
                return false;
            }

            _pending = new Deferred(work);
            completion = _pending.Completion.Task;
            return true;
        }
    }

    /// <summary>
    /// Runs the step recorded on this thread, if any (its awaiting caller resumes here when it ends).
    /// False when reading was handed over meanwhile: the calling thread must stop reading.
    /// </summary>
    public bool RunDeferred()
    {
        Deferred? step;
        lock (_gate)
        {
            if (t_generation != _generation)
            {
                return false;
            }

            step = _pending;
            _pending = null;
            _running = step;
        }

        if (step is null)
        {
            return true;
        }

        step.Run();
        lock (_gate)
        {
            if (_running == step)
            {
                _running = null;
            }

            return t_generation == _generation;
        }
    }

    /// <summary>The step whose task is <paramref name="completion"/> was given up on: if it runs on the reading thread, reading moves to a new one.</summary>
    public void Abandon(Task<object?> completion)
    {
        Deferred? unstarted = null;
        lock (_gate)
        {
            if (_pending?.Completion.Task == completion)
            {
                unstarted = _pending;
                _pending = null;
            }
        }

        if (unstarted is not null)
        {
            unstarted.Completion.TrySetCanceled(); // given up on before it started: it never runs
            return;
        }

        HandOver(step => step.Completion.Task == completion);
    }

    /// <summary>
    /// The input has something to read (a request, or its end): reading moves off a thread busy with a
    /// step, so that a <c>$/cancelRequest</c> or the end of the input reaches the step.
    /// </summary>
    public void InputWaiting() => HandOver(_ => true);

    private void HandOver(Func<Deferred, bool> which)
    {
        lock (_gate)
        {
            if (_running is null || !which(_running))
            {
                return;
            }

            _running = null;
            _generation++;
        }

        StartReader?.Invoke();
    }

    private sealed class Deferred(Func<object?> work)
    {
        // Not asynchronous: the caller's continuation (the rest of the call, and the reply) runs on the reading thread.
        public TaskCompletionSource<object?> Completion { get; } = new();

        public void Run()
        {
            object? result;
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                Completion.SetException(ex);
                return;
            }

            Completion.SetResult(result);
        }
    }
}
