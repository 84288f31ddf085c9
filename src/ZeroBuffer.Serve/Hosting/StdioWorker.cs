using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using ZeroBuffer.Serve.Logging;
using ZeroBuffer.Serve.Rpc;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// Serves the worker methods over stdin/stdout (StreamJsonRpc behind the contract's handler) until
/// the input ends, <c>shutdown</c> has been answered, the parent process dies or a stop signal
/// arrives; then releases the scenario, within the 2 s WORKER-PROTOCOL.md "Liveness" allows even
/// when a step is blocked, and stops the host.
/// </summary>
public sealed class StdioWorker(
    StdioStreams stdio,
    WorkerOptions options,
    WorkerMethods methods,
    ScenarioHost scenarios,
    StepRegistry registry,
    ShutdownSignal shutdown,
    InlineSteps inlineSteps,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<StdioWorker>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Log.Started(_logger, WorkerMethods.Version, Environment.ProcessId);
        foreach (StepBinding invalid in registry.Invalid)
        {
            Log.InvalidBinding(_logger, invalid.Pattern, invalid.Source, invalid.Error!);
        }

        // While the reading thread runs a step nobody reads stdin: the watch reports waiting input instead.
        using var parent = new ParentWatch(stdio.InputFd, inlineSteps.InputWaiting);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, parent.Died);
        try
        {
            if (options.WaitForDebugger)
            {
                await DebuggerWait.WaitAsync(_logger, ending.Token).ConfigureAwait(false);
            }

            await ServeAsync(ending.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // Stopped by a signal or the parent's death, while waiting for a debugger.
        }
        catch (Exception ex)
        {
            Log.LoopFailed(_logger, ex);
            Environment.ExitCode = 1;
        }
        finally
        {
            if (parent.Died.IsCancellationRequested)
            {
                Log.ParentDied(_logger, parent.ParentPid);
            }

            await scenarios.DisposeAsync().ConfigureAwait(false);
            lifetime.StopApplication();
        }
    }

    /// <summary>Returns when the connection should end; the caller releases what the scenario holds.</summary>
    private async Task ServeAsync(CancellationToken ending)
    {
        var input = StdinReader.Start(stdio.Input, inlineSteps);
        var handler = new ContractMessageHandler(stdio.Output, input.Reader, WorkerRpc.CreateFormatter(), loggers.CreateLogger<ContractMessageHandler>());
        handler.Sent += shutdown.OnSent;

        // Never disposed: disposing waits for the pending read of stdin, which nothing can interrupt;
        // the process ends right after this instead.
        var rpc = new WorkerRpc(handler, loggers.CreateLogger<WorkerRpc>());
        rpc.AddLocalRpcTarget(methods);
        rpc.Disconnected += OnDisconnected;
        rpc.StartListening();

        await Task.WhenAny(rpc.Completion, shutdown.Acknowledged, Task.Delay(Timeout.Infinite, ending)).ConfigureAwait(false);
    }

    private void OnDisconnected(object? sender, JsonRpcDisconnectedEventArgs e)
    {
        // The end of stdin was logged by the handler; a broken stream or a fault is an error exit.
        if (e.Reason is DisconnectedReason.RemotePartyTerminated or DisconnectedReason.LocallyDisposed)
        {
            return;
        }

        Log.ConnectionLost(_logger, e.Reason.ToString(), e.Description, e.Exception);
        Environment.ExitCode = 1;
    }
}
