using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// One scenario on this worker: a DI scope (one instance of each step class and context), a token
/// cancelled at cleanup, and the steps that timed out but have not stopped yet.
/// </summary>
public sealed class ScenarioSession
{
    /// <summary>How long cleanup waits for timed-out steps to stop after cancelling them.</summary>
    public static readonly TimeSpan AbandonedJoinLimit = TimeSpan.FromSeconds(10);

    private readonly AsyncServiceScope _scope;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<(string Step, Task Task)> _abandoned = [];

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

    /// <summary>Keeps a timed-out step so the next step and cleanup can wait for it.</summary>
    internal void Abandon(string step, Task task)
    {
        lock (_gate)
        {
            _abandoned.Add((step, task));
        }
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for timed-out steps to stop; returns the text of one
    /// still running, or null when none is.
    /// </summary>
    internal async Task<string?> WaitForAbandonedAsync(TimeSpan limit)
    {
        (string Step, Task Task)[] pending;
        lock (_gate)
        {
            _abandoned.RemoveAll(a => a.Task.IsCompleted);
            pending = _abandoned.ToArray();
        }

        if (pending.Length == 0)
        {
            return null;
        }

        try
        {
            await Task.WhenAll(pending.Select(p => p.Task)).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (Exception)
        {
            // The steps' own failures were reported (as timeouts) already.
        }

        lock (_gate)
        {
            _abandoned.RemoveAll(a => a.Task.IsCompleted);
            return _abandoned.Count == 0 ? null : _abandoned[0].Step;
        }
    }

    /// <summary>Cancels the scenario, waits for its steps, then releases every resource and the scope.</summary>
    internal async Task<CleanupReport> ReleaseAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        var released = new List<string>();
        var problems = new List<string>();

        string? stuck = await WaitForAbandonedAsync(AbandonedJoinLimit).ConfigureAwait(false);
        if (stuck is not null)
        {
            // Disposing a reader or writer under a running step could fault the process; leave
            // them to the process exit and say so.
            problems.Add($"step \"{stuck}\" is still running {AbandonedJoinLimit.TotalSeconds:0} s after it was cancelled; its buffers were not released");
            _logger.LogError("Cleanup skipped: step \"{Step}\" is still running after cancellation", stuck);
            return new CleanupReport(released, problems);
        }

        using var limit = new CancellationTokenSource(AbandonedJoinLimit);
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
