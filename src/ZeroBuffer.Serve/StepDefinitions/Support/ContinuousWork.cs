using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// A stress loop on a thread of its own, started by one step and stopped by a later one: the frame
/// count (64-bit: a 24-hour run overflows an int), the stop request the loop checks once per frame,
/// and the cancellation that cleanup uses. Subclasses write only the loop.
/// </summary>
public abstract class ContinuousWork<TResult>
{
    private readonly CancellationTokenSource _cancellation;
    private volatile bool _stopRequested;
    private long _frames;

    protected ContinuousWork(CancellationToken scenario) =>
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);

    /// <summary>Completes after <see cref="RequestStop"/>; faults with the first error that stopped the loop.</summary>
    public Task<TResult> Task { get; private set; } = null!;

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Let the loop finish what it is doing, then end.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>End before the next frame (cleanup; a blocked call still ends at its timeout).</summary>
    public void Cancel() => _cancellation.Cancel();

    public abstract string Describe();

    protected bool StopRequested => _stopRequested;

    protected void CountFrame() => Interlocked.Increment(ref _frames);

    /// <summary>The loop; it checks <paramref name="token"/> once per frame.</summary>
    protected abstract TResult Run(CancellationToken token, ILogger logger);

    /// <summary>Starts the loop of <paramref name="work"/> on a thread of its own (a loop runs for minutes: not a pool thread's job).</summary>
    protected static TWork Launch<TWork>(TWork work, ILogger logger)
        where TWork : ContinuousWork<TResult>
    {
        CancellationToken token = work._cancellation.Token;
        work.Task = System.Threading.Tasks.Task.Factory.StartNew(() => work.Run(token, logger), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return work;
    }
}
