using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// The benchmark state of one scenario in one worker: the benchmark writer started last (joined by a later
/// step or by cleanup), the figures each role's last measuring step returned (for "should have measured"),
/// and the last throughput the reader measured (the wrap-around step's baseline).
/// </summary>
public sealed class BenchmarkContext(ILogger<BenchmarkContext> logger) : IScenarioCleanup
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(7);

    private readonly Lock _gate = new();
    private readonly List<BenchWriter> _writers = [];
    private readonly Dictionary<string, Dictionary<string, double>> _lastMetrics = new(StringComparer.Ordinal);

    /// <summary>The reader's last throughput figures (gb_per_s, frames_per_s ...), or null.</summary>
    public Dictionary<string, double>? LastThroughput { get; set; }

    public BenchWriter Start(BenchWriter writer)
    {
        lock (_gate)
        {
            _writers.Add(writer);
        }

        return writer;
    }

    public BenchWriter Current
    {
        get
        {
            lock (_gate)
            {
                return _writers.Count > 0
                    ? _writers[^1]
                    : throw new InvalidOperationException("No benchmark writing is in progress in this worker: no 'starts writing frames ... in the background' or 'starts answering ... latency probes' step is pending.");
            }
        }
    }

    public void Joined(BenchWriter writer)
    {
        lock (_gate)
        {
            _writers.Remove(writer);
        }
    }

    public void Record(string role, Dictionary<string, double> metrics)
    {
        lock (_gate)
        {
            _lastMetrics[role] = metrics;
        }
    }

    public Dictionary<string, double> LastMetrics(string role)
    {
        lock (_gate)
        {
            return _lastMetrics.TryGetValue(role, out Dictionary<string, double>? metrics)
                ? metrics
                : throw new StepAssertionException($"The '{role}' process has measured nothing yet in this scenario.");
        }
    }

    /// <summary>Busy in the background with this writer? (a writer is single-threaded).</summary>
    public bool IsBusy(Writer writer)
    {
        lock (_gate)
        {
            return _writers.Any(w => w.Writer == writer && !w.Task.IsCompleted);
        }
    }

    public async Task<IReadOnlyList<string>> ReleaseAsync(CancellationToken ct)
    {
        BenchWriter[] writers;
        lock (_gate)
        {
            writers = _writers.ToArray();
            _writers.Clear();
            _lastMetrics.Clear();
            LastThroughput = null;
        }

        var released = new List<string>();
        foreach (BenchWriter writer in writers)
        {
            writer.Cancel();
            try
            {
                await writer.Task.WaitAsync(StopWithin, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                logger.LogError("The {Work} did not stop", writer.Description);
                throw new InvalidOperationException($"The {writer.Description} did not stop within {StopWithin.TotalSeconds:0} s.");
            }
            catch (Exception)
            {
                // Cancelled or failed: either way it has stopped.
            }

            released.Add(writer.Description);
        }

        return released;
    }
}
