using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Harmony.Protocol.Messages;
using StreamJsonRpc;
using WorkerRpc = ZeroBuffer.Serve.Rpc.WorkerRpc;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>
/// The real <c>zerobuffer-serve</c> in a child process, over its stdin/stdout. Either typed calls
/// through a StreamJsonRpc client (<see cref="StartRpc"/>) or raw bytes (<see cref="StartRaw"/>).
/// <see cref="StartUnderShell"/> puts a shell between this process and the worker, so a test can
/// kill the worker's parent.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    public const string CommandVariable = "ZEROBUFFER_SERVE_DLL";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly JsonRpc? _rpc;
    private readonly Stream? _rawOutput;
    private long _nextId;

    private WorkerProcess(bool rpc, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, bool underShell = false)
    {
        string dll = Environment.GetEnvironmentVariable(CommandVariable) is { Length: > 0 } custom
            ? custom
            : Path.Combine(AppContext.BaseDirectory, "zerobuffer-serve.dll");
        var start = new ProcessStartInfo(underShell ? "sh" : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (underShell)
        {
            // The worker is the shell's child. A background job's stdin is /dev/null unless redirected,
            // and that happens before "<&0" would apply: hand stdin over through fd 3.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec 3<&0; dotnet \"$@\" <&3 3<&- & wait");
            start.ArgumentList.Add("sh");
        }

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
            _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(_process.StandardInput.BaseStream, _process.StandardOutput.BaseStream, WorkerRpc.CreateFormatter()));
            _rpc.StartListening();
        }
        else
        {
            _rawOutput = new BufferedStream(_process.StandardOutput.BaseStream);
        }
    }

    /// <summary>The pid of the process this test started: the worker, or the shell above it.</summary>
    public int Pid => _process.Id;

    public IReadOnlyList<string> Stderr => _stderr.ToArray();

    public static WorkerProcess StartRpc(params string[] args) => new(rpc: true, args);

    public static WorkerProcess StartRaw(params string[] args) => new(rpc: false, args);

    public static WorkerProcess StartRaw(IReadOnlyDictionary<string, string> environment, params string[] args) => new(rpc: false, args, environment);

    /// <summary>A raw-mode worker started by <c>sh</c>, which is what <see cref="Pid"/> and <see cref="Kill"/> then name.</summary>
    public static WorkerProcess StartUnderShell() => new(rpc: false, [], underShell: true);

    public async Task<T> CallAsync<T>(string method, object? parameters = null)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        return parameters is null
            ? await _rpc!.InvokeWithCancellationAsync<T>(method, [], timeout.Token)
            : await _rpc!.InvokeWithParameterObjectAsync<T>(method, parameters, timeout.Token);
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
    public async Task<JsonElement?> ReadReplyAsync(TimeSpan? timeout = null)
    {
        byte[]? body = await ReadFrameAsync(_rawOutput!).WaitAsync(timeout ?? CallTimeout);
        return body is null ? null : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Sends a request and reads its reply (raw mode).</summary>
    public async Task<JsonElement> RequestAsync(string json)
    {
        await SendFrameAsync(json);
        return (await ReadReplyAsync())!.Value;
    }

    public void CloseInput() => _process.StandardInput.Close();

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGKILL to the started process alone (under a shell: the worker's parent).</summary>
    public void KillStartedProcessOnly() => _process.Kill(entireProcessTree: false);

    /// <summary>
    /// A header-delimited frame's body, read as plainly as a test can (the worker's answers are
    /// well formed); null at the end of the stream.
    /// </summary>
    private static async Task<byte[]?> ReadFrameAsync(Stream output)
    {
        int? length = null;
        while (await ReadLineAsync(output) is { } line)
        {
            if (line.Length == 0)
            {
                byte[] body = new byte[length ?? throw new InvalidDataException("a reply without Content-Length")];
                await output.ReadExactlyAsync(body);
                return body;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static async Task<string?> ReadLineAsync(Stream output)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (await output.ReadAsync(one) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            }

            line.Add(one[0]);
        }

        return line.Count == 0 ? null : throw new EndOfStreamException("the stream ended inside a header line");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _rpc?.Dispose();

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
