using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>
/// The stress steps' per-scenario state (feature 12): resource baselines by role, the continuous
/// writes and reads and the connect loops. Registered before <see cref="ZeroBufferContext"/>, so cleanup stops
/// the loops before the readers and writers they use are disposed.
/// </summary>
public sealed class StressContext(ScenarioState scenario, ILoggerFactory loggers) : IScenarioCleanup
{
    /// <summary>Longer than the default write timeout, which ends a blocked write at the latest.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceSample> _baselines = new(StringComparer.Ordinal);
    private readonly List<ContinuousRead> _reads = [];
    private readonly List<ContinuousWrite> _writes = [];
    private readonly List<ConnectAttempts> _connects = [];

    public CancellationToken Cancellation => scenario.Cancellation;

    public ILogger<T> Logger<T>() => loggers.CreateLogger<T>();

    /// <summary>The role's baseline; in same-process mode each role still has its own, of the one process.</summary>
    public void Record(string role, ResourceSample sample)
    {
        lock (_gate)
        {
            _baselines[role] = sample;
        }
    }

    public ResourceSample Baseline(string role)
    {
        lock (_gate)
        {
            return _baselines.TryGetValue(role, out ResourceSample sample)
                ? sample
                : throw new InvalidOperationException($"The '{role}' process recorded no resource usage in this scenario: no 'records its resource usage' step ran for it.");
        }
    }

    public void Add(ContinuousRead read)
    {
        lock (_gate)
        {
            _reads.Add(read);
        }
    }

    public void Add(ContinuousWrite write)
    {
        lock (_gate)
        {
            _writes.Add(write);
        }
    }

    public void Add(ConnectAttempts connects)
    {
        lock (_gate)
        {
            _connects.Add(connects);
        }
    }

    /// <summary>The continuous read started last and not yet forgotten.</summary>
    public ContinuousRead LatestRead() => Latest(_reads, "No continuous read is running in this worker: no 'starts reading frames ... continuously' step ran here.");

    /// <summary>The continuous write started last and not yet forgotten.</summary>
    public ContinuousWrite LatestWrite() => Latest(_writes, "No continuous write is running in this worker: no 'starts writing frames ... continuously' step ran here.");

    /// <summary>The connect loop started last and not yet forgotten.</summary>
    public ConnectAttempts LatestConnects() => Latest(_connects, "No connect attempts are running in this worker: no 'starts connecting to buffer ... over and over' step ran here.");

    public async Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct)
    {
        var released = new List<string>();
        ContinuousWrite[] writes;
        ContinuousRead[] reads;
        ConnectAttempts[] connects;
        lock (_gate)
        {
            writes = _writes.ToArray();
            reads = _reads.ToArray();
            connects = _connects.ToArray();
            _writes.Clear();
            _reads.Clear();
            _connects.Clear();
            _baselines.Clear();
        }

        foreach (ContinuousWrite write in writes)
        {
            write.Cancel();
            await Settle(write.Task, ct).ConfigureAwait(false);
            released.Add(write.Describe());
        }

        foreach (ContinuousRead read in reads)
        {
            read.Cancel();
            await Settle(read.Task, ct).ConfigureAwait(false);
            released.Add(read.Describe());
        }

        foreach (ConnectAttempts loop in connects)
        {
            loop.Cancel();
            await Settle(loop.Task, ct).ConfigureAwait(false);
            released.Add(loop.Describe());
        }

        return released;
    }

    /// <summary>Forgets a loop a step has joined; one that did not end stays for cleanup to cancel.</summary>
    public void Forget(object loop)
    {
        lock (_gate)
        {
            _ = loop switch
            {
                ContinuousWrite write => _writes.Remove(write),
                ContinuousRead read => _reads.Remove(read),
                ConnectAttempts connects => _connects.Remove(connects),
                _ => false,
            };
        }
    }

    private T Latest<T>(List<T> items, string none)
    {
        lock (_gate)
        {
            return items.Count > 0 ? items[^1] : throw new InvalidOperationException(none);
        }
    }

    /// <summary>Waits for a cancelled loop; its outcome no longer matters.</summary>
    private static async Task Settle(Task task, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(StopTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled, faulted or stuck: cleanup goes on (a stuck loop ends with the process).
        }
    }
}
