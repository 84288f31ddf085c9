using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Serve.StepDefinitions.Support;

/// <summary>What the connect attempts saw: connections, clean refusals by kind, and anything else.</summary>
public sealed record ConnectTally(int Attempts, int Connected, IReadOnlyDictionary<string, int> Refused, IReadOnlyList<string> Failures);

/// <summary>
/// A writer that keeps connecting to one buffer, on a thread of its own, while a reader creates and
/// destroys it (STEPS.md "starts connecting"): each attempt must either connect (then it disconnects at
/// once) or be refused with a kind a writer may meet while the buffer comes and goes (PROTOCOL.md §5).
/// </summary>
public sealed class ConnectAttempts
{
    /// <summary>
    /// The kinds of a clean refusal: no buffer yet or any more, or one not finished (<c>BufferNotFound</c>);
    /// a reader that is closing it has cleared reader_pid (<c>ReaderDead</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> CleanRefusals = ["BufferNotFound", "ReaderDead"];

    /// <summary>Pause between attempts, so the loop probes every transition without starving the reader of CPU.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(1);

    private readonly CancellationTokenSource _cancellation;
    private volatile bool _stopRequested;

    private ConnectAttempts(string buffer, CancellationToken scenario, ILogger logger)
    {
        Buffer = buffer;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(scenario);
        CancellationToken token = _cancellation.Token;
        Task = System.Threading.Tasks.Task.Factory.StartNew(() => Run(token, logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Buffer { get; }

    public Task<ConnectTally> Task { get; }

    public static ConnectAttempts Start(string buffer, CancellationToken scenario, ILogger logger) => new(buffer, scenario, logger);

    public string Describe() => $"connect attempts to '{Buffer}'";

    /// <summary>Finish the attempt in progress, then end.</summary>
    public void RequestStop() => _stopRequested = true;

    public void Cancel() => _cancellation.Cancel();

    private ConnectTally Run(CancellationToken token, ILogger logger)
    {
        int attempts = 0;
        int connected = 0;
        var refused = CleanRefusals.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var failures = new List<string>();
        logger.LogInformation("Connect attempts to '{Buffer}' started", Buffer);
        while (!_stopRequested)
        {
            token.ThrowIfCancellationRequested();
            attempts++;
            try
            {
                using var writer = new Writer(Buffer);
                connected++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                string kind = ErrorKinds.Of(ex);
                if (refused.TryGetValue(kind, out int seen))
                {
                    refused[kind] = seen + 1;
                }
                else
                {
                    failures.Add($"attempt {attempts}: {kind}: {ex.Message}");
                }
            }

            token.WaitHandle.WaitOne(Pause);
        }

        logger.LogInformation("Connect attempts to '{Buffer}' ended: {Attempts} attempts, {Connected} connected, {Failures} failures", Buffer, attempts, connected, failures.Count);
        return new ConnectTally(attempts, connected, refused, failures);
    }
}
