using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// One ReadFrame with a timeout on a dedicated thread, so the step can return while the reader is
/// blocked waiting for data (a writer killed meanwhile: Test 10.5). A frame that arrives is released
/// and recorded; the library error that ends it faults <see cref="Task"/>. Joined by a later step or by cleanup.
/// </summary>
public sealed class BackgroundRead : IBackgroundWork
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private BackgroundRead(ReaderState state, TimeSpan timeout, CancellationToken scenario, ILogger logger)
    {
        State = state;
        CallTimeout = timeout;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(
            () => Run(token, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public ReaderState State { get; }

    public Reader Reader => State.Reader;

    public TimeSpan CallTimeout { get; }

    public Task Task { get; }

    /// <summary>The sequence of the frame it read (null: none read, or not finished).</summary>
    public ulong? Sequence { get; private set; }

    public int Size { get; private set; }

    /// <summary>How long the read took (stopped when it ended).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public string Describe() => $"background read of '{Reader.Name}' with a {CallTimeout.TotalMilliseconds:0} ms timeout";

    public static BackgroundRead Start(ReaderState state, TimeSpan timeout, CancellationToken scenario, ILogger logger) =>
        new(state, timeout, scenario, logger);

    public void Cancel() => _cancellation.Cancel();

    /// <summary>What it ended with, for a failure message.</summary>
    public string Outcome() => Task.Exception?.InnerException is { } error
        ? $"failed with '{ErrorKinds.Of(error)}': {error.Message}"
        : Sequence is { } sequence ? $"read frame {sequence} ({Size} B)" : "timed out with no frame and no error";

    private void Run(CancellationToken token, ILogger logger)
    {
        try
        {
            token.ThrowIfCancellationRequested();
            using Frame frame = Reader.ReadFrame(CallTimeout);
            _clock.Stop();
            if (frame.IsValid)
            {
                State.LastSequence = frame.Sequence;
                Size = frame.Size;
                Sequence = frame.Sequence;
            }

            logger.LogInformation("Background: the read of '{Buffer}' ended after {Elapsed} ms: {Outcome}", Reader.Name, (long)_clock.Elapsed.TotalMilliseconds, Outcome());
        }
        catch (Exception ex)
        {
            _clock.Stop();
            logger.LogInformation("Background: the read of '{Buffer}' failed after {Elapsed} ms: {Error}", Reader.Name, (long)_clock.Elapsed.TotalMilliseconds, ex.Message);
            throw;
        }
    }
}
