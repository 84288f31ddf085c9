using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.Steps;

/// <summary>Holds the scenario the worker currently serves (at most one).</summary>
public sealed class ScenarioHost(IServiceScopeFactory scopes, ILogger<ScenarioHost> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _exiting = new();
    private ScenarioSession? _current;

    public ScenarioSession? Current => _current;

    /// <summary>Starts a scenario, cleaning up the previous one first; returns that cleanup's report.</summary>
    public async Task<CleanupReport> StartAsync(ScenarioInfo info)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            CleanupReport previous = await ReleaseCurrentAsync(ReleasePolicy.Cleanup).ConfigureAwait(false);
            _current = new ScenarioSession(scopes.CreateAsyncScope(), info, logger);
            logger.LogInformation("Scenario '{Scenario}' started as role '{Role}' (run {RunId}, {Mode})", info.Scenario, info.Role, info.RunId, info.Mode);
            return previous;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The current scenario, or a fresh implicit one when no <c>initialize</c> came.</summary>
    public async Task<ScenarioSession> GetOrStartAsync()
    {
        if (_current is { } current)
        {
            return current;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_current is null)
            {
                logger.LogWarning("A step arrived before 'initialize'; buffer names are used without a run id prefix");
                _current = new ScenarioSession(scopes.CreateAsyncScope(), ScenarioInfo.Implicit, logger);
            }

            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<CleanupReport> CleanupAsync() => ReleaseAsync(ReleasePolicy.Cleanup);

    /// <summary>
    /// Abandons what <paramref name="role"/> created in the current scenario, as its killed process
    /// would (<c>simulateCrash</c>); nothing when there is no scenario or the role holds nothing.
    /// </summary>
    public async Task<IReadOnlyList<string>> SimulateCrashAsync(string role, CancellationToken ct)
    {
        if (_current is not { } session)
        {
            return [];
        }

        var abandoned = new List<string>();
        foreach (IRoleCrash holder in session.Services.GetServices<IRoleCrash>())
        {
            abandoned.AddRange(await holder.CrashAsync(role, ct).ConfigureAwait(false));
        }

        logger.LogInformation("Simulated a crash of role '{Role}': abandoned {Abandoned}", role, abandoned.Count == 0 ? "nothing" : string.Join(", ", abandoned));
        return abandoned;
    }

    /// <summary>
    /// The process is ending: releases the scenario within the exit budget of WORKER-PROTOCOL.md
    /// "Liveness", abandoning a step that does not stop in time.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // A cleanup in progress stops waiting for its steps, so the exit gets the gate in time.
        await _exiting.CancelAsync().ConfigureAwait(false);
        CleanupReport report = await ReleaseAsync(ReleasePolicy.Exit).ConfigureAwait(false);
        if (report.Released.Count > 0)
        {
            logger.LogInformation("Released at exit: {Released}", string.Join(", ", report.Released));
        }
    }

    private async Task<CleanupReport> ReleaseAsync(ReleasePolicy policy)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await ReleaseCurrentAsync(policy).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CleanupReport> ReleaseCurrentAsync(ReleasePolicy policy)
    {
        ScenarioSession? session = _current;
        _current = null;
        if (session is null)
        {
            return CleanupReport.Empty;
        }

        // The exit's own release waits its (short) limits in full; a cleanup is cut short by the exit.
        CancellationToken exiting = policy.ReleaseUnderRunningSteps ? CancellationToken.None : _exiting.Token;
        CleanupReport report = await session.ReleaseAsync(policy, exiting).ConfigureAwait(false);
        logger.LogInformation("Scenario '{Scenario}' cleaned up: released {Count} resource(s){Problems}",
            session.Info.Scenario, report.Released.Count, report.Ok ? "" : "; problems: " + string.Join("; ", report.Problems));
        return report;
    }
}
