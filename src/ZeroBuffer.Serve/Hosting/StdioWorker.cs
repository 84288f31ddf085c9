using System.IO.Pipelines;
using Harmony.Protocol.Exceptions;
using Harmony.Protocol.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Logging;
using ZeroBuffer.Serve.Rpc;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Hosting;

/// <summary>
/// The request loop: reads frames from stdin, answers on stdout, one request at a time. A bad
/// header is answered with -32600 and the loop resynchronises; the end of stdin, <c>shutdown</c>
/// or a stop signal release the scenario and stop the host.
/// </summary>
public sealed class StdioWorker(
    StdioStreams stdio,
    WorkerOptions options,
    RpcDispatcher dispatcher,
    ScenarioHost scenarios,
    StepRegistry registry,
    ShutdownSignal shutdown,
    IHostApplicationLifetime lifetime,
    ILogger<StdioWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Log.Started(logger, WorkerMethods.Version, Environment.ProcessId);
        foreach (StepBinding invalid in registry.Invalid)
        {
            Log.InvalidBinding(logger, invalid.Pattern, invalid.Source, invalid.Error!);
        }

        try
        {
            if (options.WaitForDebugger)
            {
                await DebuggerWait.WaitAsync(logger, stoppingToken).ConfigureAwait(false);
            }

            await ServeAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped by a signal.
        }
        catch (Exception ex)
        {
            Log.LoopFailed(logger, ex);
            Environment.ExitCode = 1;
        }
        finally
        {
            await scenarios.DisposeAsync().ConfigureAwait(false);
            lifetime.StopApplication();
        }
    }

    private async Task ServeAsync(CancellationToken stoppingToken)
    {
        var reader = new ContentLengthReader(PipeReader.Create(stdio.Input, new StreamPipeReaderOptions(leaveOpen: true)));
        var writer = new ContentLengthWriter(PipeWriter.Create(stdio.Output, new StreamPipeWriterOptions(leaveOpen: true)));
        while (!shutdown.Requested)
        {
            byte[]? body;
            try
            {
                // Reads from a console stream ignore cancellation; WaitAsync lets a stop signal through.
                body = await reader.ReadMessageAsync(stoppingToken).AsTask().WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (BadHeaderException ex)
            {
                Log.BadFrame(logger, ex.Message);
                if (!await SendAsync(writer, RpcDispatcher.BadFrameReply($"Invalid request: {ex.Message}"), stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }
            catch (EndOfStreamException ex)
            {
                Log.TruncatedInput(logger, ex.Message);
                return;
            }

            if (body is null)
            {
                Log.EndOfInput(logger);
                return;
            }

            byte[]? reply = await dispatcher.HandleAsync(body, stoppingToken).ConfigureAwait(false);
            if (reply is not null && !await SendAsync(writer, reply, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>False when stdout is gone: nobody can hear us any more, so the loop ends.</summary>
    private async Task<bool> SendAsync(ContentLengthWriter writer, byte[] reply, CancellationToken ct)
    {
        try
        {
            await writer.WriteMessageAsync(reply, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ConnectionLostException or ObjectDisposedException)
        {
            Log.OutputBroken(logger, ex.Message);
            Environment.ExitCode = 1;
            return false;
        }
    }
}
