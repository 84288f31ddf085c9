using System.Text.Json;
using Harmony.Protocol.Exceptions;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Rpc;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Typed calls to one worker over Harmony.Protocol. Every call has a deadline: past it the worker is
/// SIGKILLed and a <see cref="WorkerFailureException"/> says so; a worker that dies mid-call is reported
/// with its pid and exit code or signal.
/// </summary>
internal sealed class WorkerClient : IAsyncDisposable
{
    /// <summary>Extra time past a step's own timeout before the orchestrator gives up on the worker.</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    private readonly JsonRpcClient _rpc;
    private int _disposed;

    private WorkerClient(WorkerProcess process, PlatformConfig platform, WorkerLaunchOptions options)
    {
        Process = process;
        PlatformConfig = platform;
        IsDebugging = options.WaitForDebugger;
        _rpc = new JsonRpcClient(process.Output, process.Input, new RpcLogSink(process.Stderr, options.LiveLog));
    }

    public WorkerProcess Process { get; }

    public PlatformConfig PlatformConfig { get; }

    public string Platform => PlatformConfig.Name;

    public int Pid => Process.Pid;

    /// <summary>Started with <c>--wait-for-debugger</c>: no deadlines apply.</summary>
    public bool IsDebugging { get; }

    /// <summary>The role(s) this worker serves now, for messages ("writer", "all").</summary>
    public string Role { get; set; } = "(idle)";

    /// <summary>Set once the worker is killed or has failed; it must not be reused.</summary>
    public bool IsBroken { get; private set; }

    public string Describe() => $"worker '{Role}' ({Platform}, pid {Pid})";

    /// <summary>Starts the process and waits for a healthy <c>health</c> reply.</summary>
    public static async Task<WorkerClient> StartAsync(
        PlatformConfig platform, WorkerLaunchOptions options, TimeSpan startTimeout, CancellationToken ct)
    {
        var process = WorkerProcess.Start(platform, options);
        var client = new WorkerClient(process, platform, options);
        if (options.WaitForDebugger)
        {
            options.Notice?.Invoke(
                $"harmony: the {platform.Name} worker (pid {process.Pid}) was started with --wait-for-debugger: attach your " +
                $"debugger to pid {process.Pid} (VS Code / Rider / Visual Studio: 'Attach to Process'; gdb -p {process.Pid}; " +
                "Python: debugpy or any ptrace debugger). It waits until attached; step deadlines are off for it.");
        }
        try
        {
            var health = await client.HealthAsync(options.WaitForDebugger ? null : startTimeout, ct).ConfigureAwait(false);
            if (!string.Equals(health.Status, "ok", StringComparison.OrdinalIgnoreCase))
            {
                throw new WorkerFailureException(WorkerFailureKind.Protocol,
                    $"{client.Describe()} reported health status '{health.Status}' instead of 'ok'");
            }
            return client;
        }
        catch (WorkerFailureException ex)
        {
            var logs = client.RecentStderr();
            await client.DisposeAsync().ConfigureAwait(false);
            throw new WorkerFailureException(ex.Kind, ex.Message, ex.InnerException) { Logs = logs };
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<HealthResult> HealthAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<HealthResult>(WorkerMethods.Health, null, deadline, ct);

    public Task<OkResult> InitializeAsync(InitializeParams parameters, TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<OkResult>(WorkerMethods.Initialize, parameters, deadline, ct);

    public Task<DiscoverResult> DiscoverAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<DiscoverResult>(WorkerMethods.Discover, null, deadline, ct);

    public Task<StepResult> ExecuteStepAsync(ExecuteStepParams parameters, TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<StepResult>(WorkerMethods.ExecuteStep, parameters, deadline, ct);

    public Task<CleanupResult> CleanupAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<CleanupResult>(WorkerMethods.Cleanup, null, deadline, ct);

    /// <summary>Asks the worker to exit; SIGKILLs it if it has not exited after <paramref name="grace"/>.</summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        if (!Process.HasExited && !IsBroken)
        {
            try
            {
                using var cts = new CancellationTokenSource(grace);
                await _rpc.InvokeAsync(WorkerMethods.Shutdown, null, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ProtocolException)
            {
                // Exiting without a reply is fine; the wait below decides.
            }
        }
        if (!await Process.WaitForExitAsync(grace).ConfigureAwait(false))
        {
            Kill();
            await Process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL the worker; it is broken from now on.</summary>
    public void Kill()
    {
        IsBroken = true;
        Process.Kill();
    }

    private long _scenarioMark;

    /// <summary>Starts a new scenario for <see cref="RecentStderr"/>: earlier lines belong to earlier scenarios.</summary>
    public void MarkScenarioStart() => _scenarioMark = Process.Stderr.Mark;

    /// <summary>The worker's recent stderr lines (including transport warnings) since the current scenario began.</summary>
    public IReadOnlyList<string> RecentStderr(int count = 30) => Process.Stderr.Tail(count, _scenarioMark);

    /// <summary>Waits briefly for a dead worker to be reaped, then describes how it ended.</summary>
    public async Task<string> DescribeExitAsync()
    {
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return Process.ExitDescription ?? "closed its stdout but is still running";
    }

    private async Task<T> CallAsync<T>(string method, object? parameters, TimeSpan? deadline, CancellationToken ct)
    {
        if (IsBroken)
        {
            throw new WorkerFailureException(WorkerFailureKind.Exited, $"{Describe()} is no longer usable (killed or failed earlier)");
        }
        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (deadline is { } limit && !IsDebugging)
        {
            deadlineCts.CancelAfter(limit);
        }
        try
        {
            var result = await _rpc.InvokeAsync(method, parameters, deadlineCts.Token).ConfigureAwait(false);
            try
            {
                return result.Deserialize<T>(ProtocolJson.Options)
                    ?? throw new JsonException("the result is null");
            }
            catch (JsonException ex)
            {
                IsBroken = true;
                throw new WorkerFailureException(WorkerFailureKind.Protocol,
                    $"{Describe()} answered '{method}' with a result that is not a {typeof(T).Name}: {ex.Message}", ex);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Kill();
            throw new WorkerFailureException(WorkerFailureKind.Timeout,
                $"{Describe()} did not answer '{method}' within {deadline!.Value.TotalMilliseconds:0} ms; it was killed");
        }
        catch (ConnectionLostException ex)
        {
            IsBroken = true;
            var exit = await DescribeExitAsync().ConfigureAwait(false);
            throw new WorkerFailureException(WorkerFailureKind.Exited,
                $"{Describe()} exited ({exit}) during '{method}'", ex);
        }
        catch (JsonRpcRemoteException ex)
        {
            throw new WorkerFailureException(WorkerFailureKind.Protocol,
                $"{Describe()} answered '{method}' with JSON-RPC error {ex.Code}: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (!Process.HasExited)
        {
            Process.Kill();
        }
        await _rpc.DisposeAsync().ConfigureAwait(false);
        Process.Dispose();
    }
}
