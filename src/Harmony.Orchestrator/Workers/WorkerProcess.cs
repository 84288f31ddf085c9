using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using CliWrap;
using Harmony.Orchestrator.Configuration;
using Nerdbank.Streams;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// One <c>zerobuffer-serve</c> process, started through CliWrap: its own stdin and stdout streams (handed out by
/// CliWrap's pipe callbacks, no copying in between) are joined into one duplex stream for JSON-RPC
/// (<see cref="Channel"/>), its stderr is captured into a ring of recent lines (and streamed live with <c>-v</c>).
/// Every started process is tracked so that nothing outlives the orchestrator (<see cref="KillAll"/>).
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, WorkerProcess> Live = new();

    private readonly Action<string>? _liveLog;
    private readonly TaskCompletionSource<Stream> _stdin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Stream> _stdout = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<CommandResult> _execution = Task.FromResult(new CommandResult(0, default, default));

    private WorkerProcess(PlatformConfig platform, Action<string>? liveLog)
    {
        Platform = platform.Name;
        Label = platform.Name;
        _liveLog = liveLog;
    }

    public string Platform { get; }

    public int Pid { get; private set; }

    public LogRing Stderr { get; } = new();

    /// <summary>The worker's stdout (read side) and stdin (write side) as one stream.</summary>
    public Stream Channel { get; private set; } = Stream.Null;

    /// <summary>True once the process has ended and its stdout is drained.</summary>
    public bool HasExited => _execution.IsCompleted;

    /// <summary>What the worker is currently doing, used as the live-log prefix (e.g. <c>writer/python</c>).</summary>
    public string Label { get; set; }

    /// <exception cref="WorkerStartException">The command cannot be started.</exception>
    public static async Task<WorkerProcess> StartAsync(PlatformConfig platform, WorkerLaunchOptions options)
    {
        var worker = new WorkerProcess(platform, options.LiveLog);
        var line = new List<string>(options.Wrapper ?? []) { platform.Command };
        line.AddRange(platform.Args);
        if (options.WaitForDebugger)
        {
            line.Add("--wait-for-debugger");
        }
        var command = CliWrap.Cli.Wrap(line[0])
            .WithArguments(line.Skip(1))
            .WithWorkingDirectory(platform.WorkingDirectory)
            .WithEnvironmentVariables(platform.Env.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithStandardInputPipe(PipeSource.Create((stdin, ct) => worker.LendAsync(worker._stdin, stdin, ct)))
            .WithStandardOutputPipe(PipeTarget.Create((stdout, ct) => worker.LendAsync(worker._stdout, stdout, ct)))
            .WithStandardErrorPipe(PipeTarget.Create((stderr, _) => ReadingThread.ReadLinesAsync(stderr, "worker stderr", worker.OnStderr)))
            .WithValidation(CommandResultValidation.None);
        CommandTask<CommandResult> task;
        try
        {
            task = command.ExecuteAsync();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw new WorkerStartException(
                $"platform '{platform.Name}': cannot start '{line[0]}' in '{platform.WorkingDirectory}': {ex.Message}");
        }
        worker.Pid = task.ProcessId;
        worker._execution = task.Task;
        Live[worker.Pid] = worker;
        // The RPC reads what the worker writes to stdout and writes what the worker reads from stdin.
        worker.Channel = FullDuplexStream.Splice(await worker._stdout.Task.ConfigureAwait(false), await worker._stdin.Task.ConfigureAwait(false));
        return worker;
    }

    /// <summary>
    /// CliWrap's pipe callback: hands the process's own stream to the RPC and keeps it open until the RPC is done
    /// with it (<see cref="Release"/>); CliWrap then closes stdin, which is the worker's cue to exit.
    /// </summary>
    private async Task LendAsync(TaskCompletionSource<Stream> handOut, Stream stream, CancellationToken ct)
    {
        handOut.TrySetResult(stream);
        try
        {
            await _released.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // CliWrap ends stdin piping once the process has exited.
        }
    }

    /// <summary>The RPC no longer uses stdin and stdout (the connection ended or the worker is disposed).</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>SIGKILL now (the whole tree): a real crash, nothing gets to clean up.</summary>
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>Waits for the process to end; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _execution.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        return HasExited;
    }

    /// <summary>How the process ended, e.g. "exit code 3" or "killed by signal 9 (SIGKILL)"; null while running.</summary>
    public string? ExitDescription
    {
        get
        {
            if (!_execution.IsCompletedSuccessfully)
            {
                return HasExited ? "exited (code unknown)" : null;
            }
            var code = _execution.Result.ExitCode;
            // .NET reports a signal death as 128 + signal number on Unix.
            if (code > 128 && code < 128 + 65)
            {
                var signal = code - 128;
                return $"killed by signal {signal}{SignalName(signal)}";
            }
            return $"exit code {code}";
        }
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private void OnStderr(string line)
    {
        Stderr.Add(line);
        _liveLog?.Invoke($"[{Label} pid {Pid}] {line}");
    }

    public void Dispose()
    {
        Kill();
        Live.TryRemove(Pid, out _);
        Release();
    }

    /// <summary>Last resort (Ctrl+C, SIGTERM, process exit): SIGKILL every worker still running.</summary>
    public static void KillAll()
    {
        foreach (var worker in Live.Values)
        {
            worker.Kill();
        }
    }

    /// <summary>Pids of workers still tracked as running (for tests and diagnostics).</summary>
    public static IReadOnlyCollection<int> LivePids => Live.Where(p => !p.Value.HasExited).Select(p => p.Key).ToList();
}

/// <summary>A worker command could not be started at all.</summary>
internal sealed class WorkerStartException(string message) : Exception(message);
