using System.IO.Pipelines;
using System.Text.Json;
using Harmony.Orchestrator.Configuration;
using Harmony.Protocol.Messages;
using StreamJsonRpc;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// Typed calls to one worker through StreamJsonRpc (header-delimited framing, System.Text.Json, camelCase).
/// A step is cancelled at its own timeout (<c>$/cancelRequest</c>); every call has a deadline past which the
/// worker is SIGKILLed and a <see cref="WorkerFailureException"/> says so; a worker that dies mid-call is
/// reported with its pid and exit code or signal.
/// </summary>
internal sealed class WorkerClient : IAsyncDisposable
{
    /// <summary>Extra time past a step's own timeout before the orchestrator gives up on the worker.</summary>
    public static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed call waits for the Disconnected event to tell a protocol break from an exit.</summary>
    private static readonly TimeSpan DisconnectReasonWait = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions SerializerOptions = new(ProtocolJson.Options);

    private readonly JsonRpc _rpc;
    private readonly Action<string>? _liveLog;
    private readonly TaskCompletionSource<JsonRpcDisconnectedEventArgs> _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private WorkerClient(WorkerProcess process, PlatformConfig platform, WorkerLaunchOptions options)
    {
        Process = process;
        PlatformConfig = platform;
        IsDebugging = options.WaitForDebugger;
        IsWrapped = options.Wrapper is not null;
        _liveLog = options.LiveLog;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = SerializerOptions };
        // Writes go straight to the stream on the caller's thread (the Stream overload would add a background
        // copy loop and a thread-pool hop); replies are read by a thread of the worker's own.
        var channel = process.Channel;
        var writer = PipeWriter.Create(channel, new StreamPipeWriterOptions(leaveOpen: true));
        var reader = ReadingThread.Start(channel, $"worker {process.Pid} stdout");
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(writer, reader, formatter));
        _rpc.Disconnected += OnDisconnected;
        _rpc.StartListening();
    }

    public WorkerProcess Process { get; }

    public PlatformConfig PlatformConfig { get; }

    public string Platform => PlatformConfig.Name;

    public int Pid => Process.Pid;

    /// <summary>Started with <c>--wait-for-debugger</c>: no deadlines apply.</summary>
    public bool IsDebugging { get; }

    /// <summary>Started through a wrapper (another user, a private /dev/shm): good for its one scenario only.</summary>
    public bool IsWrapped { get; }

    /// <summary>The role(s) this worker serves now, for messages ("writer", "all").</summary>
    public string Role { get; set; } = "(idle)";

    /// <summary>Set once the worker is killed or has failed; it must not be reused.</summary>
    public bool IsBroken { get; private set; }

    public string Describe() => $"worker '{Role}' ({Platform}, pid {Pid})";

    /// <summary>Starts the process and waits for a healthy <c>health</c> reply.</summary>
    public static async Task<WorkerClient> StartAsync(
        PlatformConfig platform, WorkerLaunchOptions options, TimeSpan startTimeout, CancellationToken ct)
    {
        var process = await WorkerProcess.StartAsync(platform, options).ConfigureAwait(false);
        var client = new WorkerClient(process, platform, options);
        if (options.WaitForDebugger)
        {
            options.DebuggerWaiting?.Invoke(platform.Name, process.Pid);
        }
        try
        {
            var health = await client.WaitForHealthAsync(options, startTimeout, ct).ConfigureAwait(false);
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

    /// <summary>The first health reply; a debug worker answers once a debugger is attached (or --debug-timeout ends the wait).</summary>
    private async Task<HealthResult> WaitForHealthAsync(WorkerLaunchOptions options, TimeSpan startTimeout, CancellationToken ct)
    {
        if (!options.WaitForDebugger)
        {
            return await HealthAsync(startTimeout, ct).ConfigureAwait(false);
        }
        if (options.DebuggerTimeout is not { } limit)
        {
            return await HealthAsync(null, ct).ConfigureAwait(false);
        }
        var health = HealthAsync(null, ct);
        await KillUnlessDoneWithinAsync(health, limit,
            $"{Describe()}: no debugger attached within {limit.TotalSeconds:0.#} s (--debug-timeout); it was killed", ct).ConfigureAwait(false);
        return await health.ConfigureAwait(false);
    }

    /// <summary>Waits for the call (its own outcome is read by the caller); if it is late the worker is killed.</summary>
    /// <exception cref="WorkerFailureException">The call did not complete within <paramref name="limit"/>.</exception>
    private async Task KillUnlessDoneWithinAsync(Task call, TimeSpan limit, string message, CancellationToken ct)
    {
        await call.WaitAsync(limit, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!call.IsCompleted)
        {
            ct.ThrowIfCancellationRequested();
            Kill();
            _ = call.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: the worker is gone
            throw new WorkerFailureException(WorkerFailureKind.Timeout, message);
        }
    }

    public Task<HealthResult> HealthAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<HealthResult>(WorkerMethods.Health, null, deadline, ct);

    public Task<OkResult> InitializeAsync(InitializeParams parameters, TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<OkResult>(WorkerMethods.Initialize, parameters, deadline, ct);

    public Task<DiscoverResult> DiscoverAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<DiscoverResult>(WorkerMethods.Discover, null, deadline, ct);

    /// <summary>Runs a step; at its <c>timeoutMs</c> the call is cancelled (<c>$/cancelRequest</c>), at <paramref name="deadline"/> the worker is killed.</summary>
    /// <exception cref="StepCancelledException">The worker honoured the cancellation with a RequestCanceled error.</exception>
    public Task<StepResult> ExecuteStepAsync(ExecuteStepParams parameters, TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<StepResult>(WorkerMethods.ExecuteStep, parameters, deadline, ct, TimeSpan.FromMilliseconds(parameters.TimeoutMs));

    /// <summary>Same-process mode: the worker abandons <paramref name="role"/>'s readers and writers as a crash would.</summary>
    public Task<OkResult> SimulateCrashAsync(string role, TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<OkResult>(WorkerMethods.SimulateCrash, new SimulateCrashParams(role), deadline, ct);

    public Task<CleanupResult> CleanupAsync(TimeSpan? deadline, CancellationToken ct) =>
        CallAsync<CleanupResult>(WorkerMethods.Cleanup, null, deadline, ct);

    /// <summary>Asks the worker to exit; SIGKILLs it if it has not exited after <paramref name="grace"/>.</summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        if (!Process.HasExited && !IsBroken)
        {
            try
            {
                await _rpc.InvokeWithParameterObjectAsync<OkResult>(WorkerMethods.Shutdown).WaitAsync(grace).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or ConnectionLostException or RemoteInvocationException or JsonException
                                           or IOException or ObjectDisposedException)
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

    private async Task<T> CallAsync<T>(string method, object? parameters, TimeSpan? deadline, CancellationToken ct, TimeSpan? cancelAfter = null)
        where T : class
    {
        if (IsBroken)
        {
            throw new WorkerFailureException(WorkerFailureKind.Exited, $"{Describe()} is no longer usable (killed or failed earlier)");
        }
        // Cancelling this token makes StreamJsonRpc send $/cancelRequest; the worker still owes a reply.
        using var cancel = cancelAfter is { } step && !IsDebugging ? CancellationTokenSource.CreateLinkedTokenSource(ct) : null;
        cancel?.CancelAfter(cancelAfter!.Value);
        var call = _rpc.InvokeWithParameterObjectAsync<T?>(method, parameters, cancel?.Token ?? ct);
        if (deadline is { } limit && !IsDebugging)
        {
            await KillUnlessDoneWithinAsync(call, limit,
                $"{Describe()} did not answer '{method}' within {limit.TotalMilliseconds:0} ms; it was killed", ct).ConfigureAwait(false);
        }
        try
        {
            return await call.ConfigureAwait(false)
                ?? throw Broken(method, $"answered '{method}' with a null result");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The worker answered the $/cancelRequest with RequestCanceled: it honoured the step deadline.
            throw new StepCancelledException($"{Describe()} cancelled '{method}' at the step deadline ({cancelAfter?.TotalMilliseconds:0} ms)");
        }
        catch (Exception ex) when (ex is ConnectionLostException or IOException or ObjectDisposedException)
        {
            // The call may fail before the Disconnected event has said why; give it a moment.
            await ((Task)_disconnected.Task).WaitAsync(DisconnectReasonWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (ex is ConnectionLostException && _disconnected.Task.IsCompletedSuccessfully
                && _disconnected.Task.Result is { Reason: not (DisconnectedReason.RemotePartyTerminated or DisconnectedReason.LocallyDisposed) } lost
                && !Process.HasExited)
            {
                Kill();
                throw new WorkerFailureException(WorkerFailureKind.Protocol,
                    $"{Describe()} broke the protocol during '{method}' ({lost.Description}); it was killed", ex);
            }

            // ConnectionLost: stdout ended. IOException / ObjectDisposed: stdin was closed under a write, the
            // worker having exited before the RPC noticed.
            IsBroken = true;
            var exit = await DescribeExitAsync().ConfigureAwait(false);
            throw new WorkerFailureException(WorkerFailureKind.Exited, $"{Describe()} exited ({exit}) during '{method}'", ex);
        }
        catch (RemoteMethodNotFoundException ex)
        {
            // Not a RemoteInvocationException: an older worker without the method must fail the step, not the run.
            throw new WorkerFailureException(WorkerFailureKind.Protocol, $"{Describe()} does not implement '{method}'", ex);
        }
        catch (RemoteInvocationException ex)
        {
            throw new WorkerFailureException(WorkerFailureKind.Protocol,
                $"{Describe()} answered '{method}' with JSON-RPC error {ex.ErrorCode}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JsonException or RemoteSerializationException)
        {
            throw Broken(method, $"answered '{method}' with a result that is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private WorkerFailureException Broken(string method, string what, Exception? inner = null)
    {
        IsBroken = true;
        return new WorkerFailureException(WorkerFailureKind.Protocol, $"{Describe()} {what}", inner);
    }

    private void OnDisconnected(object? sender, JsonRpcDisconnectedEventArgs e)
    {
        _disconnected.TrySetResult(e);
        Process.Release();
        if (e.Reason is not (DisconnectedReason.RemotePartyTerminated or DisconnectedReason.LocallyDisposed))
        {
            var line = $"[harmony rpc] connection lost ({e.Reason}): {e.Description}";
            Process.Stderr.Add(line);
            _liveLog?.Invoke($"[{Process.Label} pid {Pid}] {line}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Process.Kill();
        _rpc.Dispose();
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Process.Dispose();
    }
}

/// <summary>The worker answered a step's <c>$/cancelRequest</c> with RequestCanceled: a step failure, the worker stays usable.</summary>
internal sealed class StepCancelledException(string message) : Exception(message);
