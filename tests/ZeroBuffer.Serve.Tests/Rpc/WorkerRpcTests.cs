using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using StreamJsonRpc;
using ZeroBuffer.Serve.Rpc;

namespace ZeroBuffer.Serve.Tests.Rpc;

/// <summary>The worker's JsonRpc over in-memory pipes, with a target made for the test.</summary>
public sealed class WorkerRpcTests : IDisposable
{
    private readonly Pipe _requests = new();
    private readonly Pipe _replies = new();
    private readonly Target _target = new();
    private readonly WorkerRpc _rpc;

    public WorkerRpcTests()
    {
        var handler = new ContractMessageHandler(_replies.Writer.AsStream(), _requests.Reader.AsStream(), WorkerRpc.CreateFormatter(), NullLogger.Instance);
        _rpc = new WorkerRpc(handler, NullLogger.Instance);
        _rpc.AddLocalRpcTarget(_target);
        _rpc.StartListening();
    }

    public void Dispose() => _rpc.Dispose();

    private async Task Send(params string[] bodies)
    {
        var bytes = new List<byte>();
        foreach (string body in bodies)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n"));
            bytes.AddRange(Encoding.UTF8.GetBytes(body));
        }

        await _requests.Writer.WriteAsync(bytes.ToArray());
    }

    private async Task<JsonElement> Reply()
    {
        while (true)
        {
            ReadResult read = await _replies.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            string text = Encoding.UTF8.GetString(read.Buffer.ToArray());
            int start = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (start >= 0)
            {
                int length = int.Parse(text[(text.IndexOf(':') + 1)..start], System.Globalization.CultureInfo.InvariantCulture);
                if (text.Length >= start + 4 + length)
                {
                    _replies.Reader.AdvanceTo(read.Buffer.GetPosition(start + 4 + length));
                    return JsonDocument.Parse(text.Substring(start + 4, length)).RootElement.Clone();
                }
            }

            _replies.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>The worker relies on it: JsonRpc does not start a call before the previous one's synchronous part ended.</summary>
    [Fact]
    public async Task Methods_start_in_arrival_order_each_running_until_its_first_await()
    {
        await Send("""{"jsonrpc":"2.0","id":1,"method":"slowStart"}""", """{"jsonrpc":"2.0","id":2,"method":"quick"}""");
        await Reply();
        await Reply();

        Assert.Equal(["slowStart", "quick"], _target.Started);
    }

    [Fact]
    public async Task A_failing_method_is_an_internal_error_and_bad_params_are_invalid_params()
    {
        await Send("""{"jsonrpc":"2.0","id":1,"method":"fails"}""");
        JsonElement internalError = (await Reply()).GetProperty("error");
        Assert.Equal(-32603, internalError.GetProperty("code").GetInt32());
        Assert.Equal("Internal error in 'fails': InvalidOperationException: boom", internalError.GetProperty("message").GetString());
        Assert.False(internalError.TryGetProperty("data", out _));

        await Send("""{"jsonrpc":"2.0","id":2,"method":"refusesParams"}""");
        JsonElement invalidParams = (await Reply()).GetProperty("error");
        Assert.Equal(-32602, invalidParams.GetProperty("code").GetInt32());
        Assert.Equal("Invalid params for 'refusesParams': no.", invalidParams.GetProperty("message").GetString());
    }

    [Fact]
    public void Methods_are_invoked_on_the_reading_thread()
    {
        Assert.IsType<InlineSynchronizationContext>(_rpc.SynchronizationContext);

        int thread = -1;
        _rpc.SynchronizationContext!.Post(_ => thread = Environment.CurrentManagedThreadId, null);

        Assert.Equal(Environment.CurrentManagedThreadId, thread);
    }

    private sealed class Target
    {
        public ConcurrentQueue<string> Started { get; } = new();

        [JsonRpcMethod("slowStart")]
        public async Task<int> SlowStartAsync()
        {
            Thread.Sleep(200); // synchronous work before the first await
            Started.Enqueue("slowStart");
            await Task.Yield();
            return 1;
        }

        [JsonRpcMethod("quick")]
        public int Quick()
        {
            Started.Enqueue("quick");
            return 2;
        }

        [JsonRpcMethod("fails")]
        public int Fails() => throw new InvalidOperationException("boom");

        [JsonRpcMethod("refusesParams")]
        public int RefusesParams() => throw new RpcParamsException("Invalid params for 'refusesParams': no.");
    }
}
