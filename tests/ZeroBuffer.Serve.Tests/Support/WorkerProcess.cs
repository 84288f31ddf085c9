using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Rpc;
using Harmony.Protocol.Wire;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>
/// The real <c>zerobuffer-serve</c> in a child process, over its stdin/stdout. Either typed calls
/// through <see cref="JsonRpcClient"/> (<see cref="StartRpc"/>) or raw bytes (<see cref="StartRaw"/>).
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    public const string CommandVariable = "ZEROBUFFER_SERVE_DLL";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly JsonRpcClient? _rpc;
    private readonly ContentLengthReader? _rawReader;
    private long _nextId;

    private WorkerProcess(bool rpc, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = Environment.GetEnvironmentVariable(CommandVariable) is { Length: > 0 } custom
            ? custom
            : Path.Combine(AppContext.BaseDirectory, "zerobuffer-serve.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HARMONY_LOG_LEVEL"] = "debug";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start zerobuffer-serve");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        if (rpc)
        {
            _rpc = new JsonRpcClient(_process.StandardOutput.BaseStream, _process.StandardInput.BaseStream);
        }
        else
        {
            _rawReader = new ContentLengthReader(PipeReader.Create(_process.StandardOutput.BaseStream));
        }
    }

    public int Pid => _process.Id;

    public IReadOnlyList<string> Stderr => _stderr.ToArray();

    public static WorkerProcess StartRpc(params string[] args) => new(rpc: true, args);

    public static WorkerProcess StartRaw(params string[] args) => new(rpc: false, args);

    public static WorkerProcess StartRaw(IReadOnlyDictionary<string, string> environment, params string[] args) => new(rpc: false, args, environment);

    public async Task<T> CallAsync<T>(string method, object? parameters = null)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        return await _rpc!.InvokeAsync<T>(method, parameters, timeout.Token);
    }

    public Task<OkResult> InitializeAsync(string role, string runId, string mode = RunModes.SeparateProcess, string scenario = "Test 1.1 - Simple Write-Read Cycle") =>
        CallAsync<OkResult>(WorkerMethods.Initialize, new InitializeParams(role, ["reader", "writer"], "csharp", scenario, "Basic communication", runId, mode));

    public Task<StepResult> StepAsync(string process, string text, int timeoutMs = 30000) =>
        CallAsync<StepResult>(WorkerMethods.ExecuteStep,
            new ExecuteStepParams(process, StepTypes.Given, "Given", text, null, false, timeoutMs, $"step-{Interlocked.Increment(ref _nextId)}"));

    /// <summary>Writes raw bytes to the worker's stdin.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _process.StandardInput.BaseStream.WriteAsync(bytes);
        await _process.StandardInput.BaseStream.FlushAsync();
    }

    public Task SendFrameAsync(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return SendRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
    }

    /// <summary>The next reply frame, parsed; null when stdout ended.</summary>
    public async Task<JsonElement?> ReadReplyAsync()
    {
        byte[]? body = await _rawReader!.ReadMessageAsync().AsTask().WaitAsync(CallTimeout);
        return body is null ? null : JsonDocument.Parse(body).RootElement.Clone();
    }

    public void CloseInput() => _process.StandardInput.Close();

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_rpc is not null)
        {
            await _rpc.DisposeAsync();
        }

        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Already closed (the RPC client closes stdin when disposed).
            }

            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }

        _process.Dispose();
    }
}
