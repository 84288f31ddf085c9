using System.Collections.Concurrent;
using System.Diagnostics;

namespace Harmony.Orchestrator.Workers;

/// <summary>
/// One <c>zerobuffer-serve</c> process: stdin/stdout pipes for JSON-RPC, stderr captured into a ring of
/// recent lines (and streamed live with <c>-v</c>). Every started process is tracked so that nothing
/// outlives the orchestrator (see <see cref="KillAll"/>).
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, WorkerProcess> Live = new();

    private readonly Process _process;
    private readonly Action<string>? _liveLog;
    private string _label;

    private WorkerProcess(Process process, PlatformConfig platform, Action<string>? liveLog)
    {
        _process = process;
        Platform = platform.Name;
        _liveLog = liveLog;
        _label = platform.Name;
    }

    public string Platform { get; }

    public int Pid { get; private set; }

    public LogRing Stderr { get; } = new();

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>What the worker is currently doing, used as the live-log prefix (e.g. <c>writer/python</c>).</summary>
    public string Label
    {
        get => _label;
        set => _label = value;
    }

    /// <exception cref="WorkerStartException">The command cannot be started.</exception>
    public static WorkerProcess Start(PlatformConfig platform, WorkerLaunchOptions options)
    {
        var info = new ProcessStartInfo(platform.Command)
        {
            WorkingDirectory = platform.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var arg in platform.Args)
        {
            info.ArgumentList.Add(arg);
        }
        if (options.WaitForDebugger)
        {
            info.ArgumentList.Add("--wait-for-debugger");
        }
        foreach (var (name, value) in platform.Env)
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, platform, options.LiveLog);
        process.ErrorDataReceived += (_, e) => worker.OnStderr(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new WorkerStartException($"platform '{platform.Name}': '{platform.Command}' did not start");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new WorkerStartException(
                $"platform '{platform.Name}': cannot start '{platform.Command}' in '{platform.WorkingDirectory}': {ex.Message}");
        }
        worker.Pid = process.Id;
        Live[worker.Pid] = worker;
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL now (the whole tree): a real crash, nothing gets to clean up.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>Waits for the process to end; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>How the process ended, e.g. "exit code 3" or "killed by signal 9 (SIGKILL)"; null while running.</summary>
    public string? ExitDescription
    {
        get
        {
            if (!HasExited)
            {
                return null;
            }
            int code;
            try
            {
                code = _process.ExitCode;
            }
            catch (InvalidOperationException)
            {
                return "exited (code unknown)";
            }
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

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }
        Stderr.Add(line);
        _liveLog?.Invoke($"[{_label} pid {Pid}] {line}");
    }

    public void Dispose()
    {
        Kill();
        Live.TryRemove(Pid, out _);
        _process.Dispose();
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
