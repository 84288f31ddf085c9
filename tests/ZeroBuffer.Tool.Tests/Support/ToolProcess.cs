using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ZeroBuffer.Tool.Tests.Support;

/// <summary>
/// One run of the <c>zerobuffer</c> tool in its own process: <c>dotnet /// One run of the <c>zerobuffer</c> tool in its own process: <c>dotnet &lt;output dir&gt;/zerobuffer.dll</c>,lt;output dir/// One run of the <c>zerobuffer</c> tool in its own process: <c>dotnet &lt;output dir&gt;/zerobuffer.dll</c>,gt;/ZeroBuffer.Tool.dll</c>,
/// or the binary named by <c>ZEROBUFFER_TOOL</c> (to run these tests against another implementation).
/// Stdout is collected line by line, stderr whole. Disposing SIGKILLs a process that is still running.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly BlockingCollection<string> _stdoutLines = new();
    private readonly List<string> _allStdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ToolProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ToolProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (Environment.GetEnvironmentVariable("ZEROBUFFER_TOOL") is { Length: > 0 } other)
        {
            info.FileName = other;
        }
        else
        {
            info.FileName = DotnetHost();
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ZeroBuffer.Tool.dll"));
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var tool = new ToolProcess(process);
        process.OutputDataReceived += (_, e) => tool.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => tool.OnStderr(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs the tool to completion.</summary>
    public static ToolResult Run(params string[] arguments)
    {
        using ToolProcess tool = Start(arguments);
        return tool.WaitForExit();
    }

    /// <summary>Waits for the READY line a reader prints once a writer may connect.</summary>
    public void WaitReady(TimeSpan? timeout = null)
    {
        if (!_stdoutLines.TryTake(out string? line, timeout ?? DefaultTimeout))
        {
            throw new TimeoutException($"no READY from pid {Id}; stderr: {Stderr}");
        }

        Assert.True(line == "READY", $"expected READY, got '{line}'; stderr: {Stderr}");
    }

    public ToolResult WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? DefaultTimeout))
        {
            Kill();
            throw new TimeoutException($"pid {Id} did not exit in time; stderr: {Stderr}");
        }

        // Both pipes are drained before the result is read.
        Task.WaitAll([_stdoutClosed.Task, _stderrClosed.Task], TimeSpan.FromSeconds(10));
        lock (_allStdout)
        {
            return new ToolResult(_process.ExitCode, _allStdout.ToArray(), Stderr);
        }
    }

    /// <summary>SIGKILL (Process.Kill on Unix), then reap, so the pid is really gone for liveness checks.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Not started: nothing to stop.
        }

        _process.Dispose();
    }

    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }

        lock (_allStdout)
        {
            _allStdout.Add(line);
        }

        _stdoutLines.Add(line);
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.TrySetResult();
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }
    }
}

internal sealed record ToolResult(int ExitCode, IReadOnlyList<string> Stdout, string Stderr)
{
    /// <summary>The last stdout line parsed as the JSON summary the commands print.</summary>
    public JsonElement Json()
    {
        Assert.True(Stdout.Count > 0, $"no stdout; stderr: {Stderr}");
        using JsonDocument document = JsonDocument.Parse(Stdout[^1]);
        return document.RootElement.Clone();
    }

    public void AssertSuccess() => Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Stderr}");

    /// <summary>Exit code 1 and the one-line <c>error: Kind: message</c> on stderr.</summary>
    public void AssertError(string kind)
    {
        Assert.True(ExitCode == 1, $"expected exit code 1, got {ExitCode}; stdout: {string.Join(" | ", Stdout)}; stderr: {Stderr}");
        Assert.StartsWith($"error: {kind}: ", Stderr);
    }
}
