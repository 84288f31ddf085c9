using System.Collections.Concurrent;
using Harmony.Orchestrator.Configuration;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Hands out workers per platform. A worker that finished a scenario with a successful <c>cleanup</c> goes
/// back to the pool and is reused (by any role: <c>initialize</c> tells it its role); a killed, crashed or
/// failed one is discarded. Disposing shuts every worker down: <c>shutdown</c>, then SIGKILL after a grace period.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    private readonly HarmonyConfig _config;
    private readonly Func<string, bool, WorkerLaunchOptions> _launchOptions;
    private readonly TimeSpan _startTimeout;
    private readonly ConcurrentDictionary<string, ConcurrentBag<WorkerClient>> _idle = new();
    private readonly ConcurrentDictionary<WorkerClient, byte> _all = new();

    /// <param name="launchOptions">Options for a new worker, given (platform, debugging).</param>
    public WorkerPool(HarmonyConfig config, Func<string, bool, WorkerLaunchOptions> launchOptions, TimeSpan startTimeout)
    {
        _config = config;
        _launchOptions = launchOptions;
        _startTimeout = startTimeout;
    }

    private readonly Dictionary<string, Task<WorkerClient>> _spares = new(StringComparer.Ordinal);
    private volatile bool _disposing;
    private int _started;

    /// <summary>Number of processes this pool started, spares included (for tests and the benchmark).</summary>
    public int Started => _started;

    /// <summary>
    /// An idle healthy worker of that platform, or a new one (always new when <paramref name="fresh"/>:
    /// "a new process is started" means a new pid). New workers come from a spare started in the background,
    /// so a restart or a third role does not wait for a cold start. Debug workers are never pooled.
    /// </summary>
    public async Task<WorkerClient> AcquireAsync(string platform, bool debugging, bool fresh, CancellationToken ct)
    {
        if (debugging)
        {
            return await StartNewAsync(platform, debugging: true, ct).ConfigureAwait(false);
        }
        if (!fresh && _idle.TryGetValue(platform, out var bag))
        {
            while (bag.TryTake(out var idle))
            {
                if (!idle.IsBroken && !idle.Process.HasExited)
                {
                    return idle;
                }
                await DiscardAsync(idle).ConfigureAwait(false);
            }
        }
        WorkerClient? client = null;
        if (TakeSpare(platform) is { } spare)
        {
            try
            {
                client = await spare.WaitAsync(ct).ConfigureAwait(false);
                if (client.IsBroken || client.Process.HasExited)
                {
                    await DiscardAsync(client).ConfigureAwait(false);
                    client = null;
                }
            }
            catch (Exception ex) when (ex is WorkerFailureException or WorkerStartException)
            {
                client = null; // Start again below; that attempt reports the problem if it persists.
            }
        }
        client ??= await StartNewAsync(platform, debugging: false, ct).ConfigureAwait(false);
        ReplenishSpare(platform);
        return client;
    }

    private Task<WorkerClient>? TakeSpare(string platform)
    {
        lock (_spares)
        {
            return _spares.Remove(platform, out var spare) ? spare : null;
        }
    }

    private void ReplenishSpare(string platform)
    {
        lock (_spares)
        {
            if (!_disposing && !_spares.ContainsKey(platform))
            {
                _spares[platform] = StartNewAsync(platform, debugging: false, CancellationToken.None);
            }
        }
    }

    private Task<WorkerClient> StartNewAsync(string platform, bool debugging, CancellationToken ct) =>
        StartAsync(platform, _launchOptions(platform, debugging), ct);

    private async Task<WorkerClient> StartAsync(string platform, WorkerLaunchOptions options, CancellationToken ct)
    {
        var client = await WorkerClient.StartAsync(_config.Platform(platform), options, _startTimeout, ct).ConfigureAwait(false);
        _all[client] = 0;
        Interlocked.Increment(ref _started);
        if (_disposing)
        {
            // Started while the pool shut down: do not leak it.
            await RetireAsync(client).ConfigureAwait(false);
            throw new OperationCanceledException("the worker pool is shutting down");
        }
        return client;
    }

    /// <summary>
    /// A new worker started through <paramref name="wrapper"/> (<see cref="LaunchWrappers"/>): never a spare and
    /// never pooled, since what the wrapper changed (its user, its /dev/shm) must not leak into another scenario.
    /// </summary>
    public Task<WorkerClient> StartWrappedAsync(string platform, IReadOnlyList<string> wrapper, CancellationToken ct) =>
        StartAsync(platform, _launchOptions(platform, false) with { Wrapper = wrapper }, ct);

    /// <summary>Returns a worker whose cleanup succeeded.</summary>
    public void Release(WorkerClient client)
    {
        if (client.IsBroken || client.Process.HasExited || client.IsDebugging || client.IsWrapped)
        {
            _ = DiscardAsync(client);
            return;
        }
        client.Role = "(idle)";
        client.Process.Label = $"idle/{client.Platform}";
        _idle.GetOrAdd(client.Platform, _ => []).Add(client);
    }

    /// <summary>Kills and forgets a worker (after a kill, crash, timeout or failed cleanup).</summary>
    public async Task DiscardAsync(WorkerClient client)
    {
        _all.TryRemove(client, out _);
        client.Kill();
        await client.Process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Shuts a worker down politely and forgets it (a debug worker at the end of its scenario).</summary>
    public async Task RetireAsync(WorkerClient client)
    {
        _all.TryRemove(client, out _);
        await client.ShutdownAsync(ShutdownGrace).ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        List<Task<WorkerClient>> spares;
        lock (_spares)
        {
            _disposing = true;
            spares = _spares.Values.ToList();
            _spares.Clear();
        }
        foreach (var spare in spares)
        {
            try
            {
                await spare.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WorkerFailureException or WorkerStartException or OperationCanceledException)
            {
                // A spare that never came up has nothing to shut down.
            }
        }
        var workers = _all.Keys.ToList();
        _all.Clear();
        _idle.Clear();
        await Task.WhenAll(workers.Select(async w =>
        {
            await w.ShutdownAsync(ShutdownGrace).ConfigureAwait(false);
            await w.DisposeAsync().ConfigureAwait(false);
        })).ConfigureAwait(false);
    }
}
