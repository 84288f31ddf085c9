using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// One scenario on this worker: a DI scope (one instance of each step class and context), a token
/// cancelled at cleanup, and the steps that have not finished yet (running, timed out or cancelled).
/// </summary>
public sealed class ScenarioSession
{
    /// <summary>How long cleanup waits for unfinished steps to stop after cancelling them.</summary>
    public static readonly TimeSpan CleanupJoinLimit = TimeSpan.FromSeconds(10);

    private readonly AsyncServiceScope _scope;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<(string Step, Task Task)> _unfinished = [];

    internal ScenarioSession(AsyncServiceScope scope, ScenarioInfo info, ILogger logger)
    {
        _scope = scope;
        _logger = logger;
        Info = info;
        Services.GetRequiredService<ScenarioState>().Attach(info, _cancellation.Token);
    }

    public ScenarioInfo Info { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Keeps a started step until it ends, so the next step, cleanup and exit can wait for it.</summary>
    internal void Track(string step, Task task)
    {
        lock (_gate)
        {
            _unfinished.RemoveAll(u => u.Task.IsCompleted);
            _unfinished.Add((step, task));
        }
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> (or until <paramref name="ct"/>) for unfinished steps to
    /// stop; returns the text of one still running, or null when none is.
    /// </summary>
    internal async Task<string?> WaitForUnfinishedAsync(TimeSpan limit, CancellationToken ct = default)
    {
        Task[] pending;
        lock (_gate)
        {
            _unfinished.RemoveAll(u => u.Task.IsCompleted);
            pending = _unfinished.Select(u => u.Task).ToArray();
        }

        if (pending.Length == 0)
        {
            return null;
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(limit, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && ct.IsCancellationRequested))
        {
        }
        catch (Exception)
        {
            // The steps' own failures were reported (as failures, timeouts or cancellations) already.
        }

        lock (_gate)
        {
            _unfinished.RemoveAll(u => u.Task.IsCompleted);
            return _unfinished.Count == 0 ? null : _unfinished[0].Step;
        }
    }

    /// <summary>
    /// Cancels the scenario, waits for its steps, then releases every resource and the scope.
    /// <paramref name="policy"/> says how long to wait and whether a step that does not stop keeps
    /// its buffers (cleanup: the worker goes on serving) or loses them (exit: the process ends now).
    /// <paramref name="exiting"/> cuts every wait short once the process has started to exit.
    /// </summary>
    internal async Task<CleanupReport> ReleaseAsync(ReleasePolicy policy, CancellationToken exiting)
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        var released = new List<string>();
        var problems = new List<string>();

        string? stuck = await WaitForUnfinishedAsync(policy.JoinLimit, exiting).ConfigureAwait(false);
        if (stuck is not null && !policy.ReleaseUnderRunningSteps && !exiting.IsCancellationRequested)
        {
            // Disposing a reader or writer under a running step could fault the process; leave
            // them to the process exit and say so.
            problems.Add($"step \"{stuck}\" is still running {policy.JoinLimit.TotalSeconds:0} s after it was cancelled; its buffers were not released");
            _logger.LogError("Cleanup skipped: step \"{Step}\" is still running after cancellation", stuck);
            return new CleanupReport(released, problems);
        }

        if (stuck is not null)
        {
            // The process ends right after this: its buffers must not outlive it, and the step's
            // blocked call ends with the process.
            _logger.LogWarning("Exiting with step \"{Step}\" still running: it is abandoned and its buffers are released", stuck);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(exiting);
        limit.CancelAfter(policy.JoinLimit);
        foreach (IScenarioCleanup participant in Services.GetServices<IScenarioCleanup>())
        {
            try
            {
                released.AddRange(await participant.ReleaseAsync(limit.Token).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                problems.Add($"{participant.GetType().Name}: {ex.Message}");
                _logger.LogError(ex, "Cleanup of {Participant} failed", participant.GetType().Name);
            }
        }

        try
        {
            await _scope.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            problems.Add($"disposing the scenario scope: {ex.Message}");
            _logger.LogError(ex, "Disposing the scenario scope failed");
        }

        _cancellation.Dispose();
        return new CleanupReport(released, problems);
    }
}

/// <summary>How a scenario is released: by <c>cleanup</c> (the worker serves on) or at process exit.</summary>
/// <param name="JoinLimit">How long to wait for unfinished steps, and again for background work.</param>
/// <param name="ReleaseUnderRunningSteps">Release the buffers even when a step has not stopped.</param>
internal sealed record ReleasePolicy(TimeSpan JoinLimit, bool ReleaseUnderRunningSteps)
{
    public static ReleasePolicy Cleanup { get; } = new(ScenarioSession.CleanupJoinLimit, ReleaseUnderRunningSteps: false);

    /// <summary>WORKER-PROTOCOL.md "Liveness": the whole exit takes at most 2 s.</summary>
    public static ReleasePolicy Exit { get; } = new(TimeSpan.FromMilliseconds(500), ReleaseUnderRunningSteps: true);
}
