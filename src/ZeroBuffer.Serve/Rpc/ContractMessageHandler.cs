using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using ZeroBuffer.Serve.Logging;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>
/// StreamJsonRpc's <see cref="HeaderDelimitedMessageHandler"/> with the worker contract's reading
/// rules (WORKER-PROTOCOL.md "Framing"). Where the stock handler ends the connection, this one
/// answers and reads on: a bad header block gets -32600 (<see cref="FrameHeader"/>), a body that is
/// not a JSON-RPC 2.0 request gets -32700 or -32600 (<see cref="RequestScreen"/>), and a batch is
/// handed to JsonRpc request by request and answered with one array (<see cref="BatchReplies"/>).
/// Writing single messages is the stock handler's.
/// </summary>
internal sealed class ContractMessageHandler : HeaderDelimitedMessageHandler
{
    /// <summary>
    /// How long the end of the input waits for the replies still owed, before JsonRpc is told (and
    /// cancels what runs): requests piped in ahead of the end get their answers, and a blocked step
    /// still leaves the exit well inside the 2 s of WORKER-PROTOCOL.md "Liveness".
    /// </summary>
    public static readonly TimeSpan EndOfInputGrace = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger;
    private readonly Lock _owedGate = new();
    private int _owed;
    private TaskCompletionSource? _nothingOwed;
    private readonly Queue<JsonRpcRequest> _batchRequests = new();
    private readonly BatchReplies _batches = new();
    private readonly List<JsonRpcMessage> _unflushed = [];

    /// <summary>
    /// Reads <paramref name="input"/> and writes <paramref name="output"/> through System.IO.Pipelines'
    /// own stream adapters, which read and write on the caller's thread (the stream overload would
    /// copy through an extra pipe and task each way). Neither stream is closed by this handler.
    /// </summary>
    public ContractMessageHandler(Stream output, Stream input, IJsonRpcMessageFormatter formatter, ILogger logger)
        : this(output, PipeReader.Create(input, new StreamPipeReaderOptions(leaveOpen: true)), formatter, logger)
    {
    }

    /// <summary>Reads requests from <paramref name="input"/> (the worker's: <see cref="Hosting.StdinReader"/>).</summary>
    public ContractMessageHandler(Stream output, PipeReader input, IJsonRpcMessageFormatter formatter, ILogger logger)
        : base(PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true)), input, formatter)
    {
        _logger = logger;
    }

    /// <summary>Raised for each message once it has been written and flushed (a batch's replies: once its array has).</summary>
    public event Action<JsonRpcMessage>? Sent;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        PipeReader reader = Reader!;
        while (true)
        {
            if (_batchRequests.TryDequeue(out JsonRpcRequest? member))
            {
                return Received(member);
            }

            FrameHeader header = await FrameHeader.ReadAsync(reader, cancellationToken).ConfigureAwait(false);
            switch (header.Kind)
            {
                case FrameHeaderKind.EndOfInput:
                    Log.EndOfInput(_logger);
                    await RepliesOwedAsync().ConfigureAwait(false);
                    return null;
                case FrameHeaderKind.Truncated:
                    Log.TruncatedInput(_logger, header.Problem!);
                    await RepliesOwedAsync().ConfigureAwait(false);
                    return null;
                case FrameHeaderKind.Refused:
                    Log.BadFrame(_logger, header.Problem!);
                    await WriteAsync(RequestScreen.Error(RequestId.Null, JsonRpcErrorCode.InvalidRequest, $"Invalid request: {header.Problem}"), cancellationToken).ConfigureAwait(false);
                    continue;
            }

            byte[]? body = await ReadBodyAsync(reader, header.Length, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                Log.TruncatedInput(_logger, $"the input ended inside a {header.Length}-byte message body");
                await RepliesOwedAsync().ConfigureAwait(false);
                return null;
            }

            if (IsBatch(body))
            {
                await AcceptBatchAsync(body, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Screened screened = RequestScreen.Screen(Formatter, body);
            if (screened.Request is { } request)
            {
                return Received(request);
            }

            await RefuseAsync(screened.Refusal!, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (_batches.TryAdd(content, Serialize, out BatchReplies.Slot[]? complete))
        {
            if (complete is not null)
            {
                WriteBatch(complete);
            }

            return;
        }

        base.Write(content, cancellationToken);
        _unflushed.Add(content);
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await base.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Writes and flushes run one at a time (the base class's send lock), so the list is ours here.
        foreach (JsonRpcMessage sent in _unflushed)
        {
            if (sent is (JsonRpcResult or JsonRpcError) and not Refusal)
            {
                Paid();
            }

            Sent?.Invoke(sent);
        }

        _unflushed.Clear();
    }

    private JsonRpcRequest Received(JsonRpcRequest request)
    {
        Log.Request(_logger, request.Method!, request.RequestId.IsEmpty ? "none: notification" : request.RequestId.ToString());
        if (request.IsResponseExpected)
        {
            lock (_owedGate)
            {
                _owed++;
            }
        }

        return request;
    }

    /// <summary>One reply JsonRpc owed has been sent.</summary>
    private void Paid()
    {
        lock (_owedGate)
        {
            if (--_owed == 0)
            {
                _nothingOwed?.TrySetResult();
                _nothingOwed = null;
            }
        }
    }

    /// <summary>Waits, at most <see cref="EndOfInputGrace"/>, until every request read has been answered.</summary>
    private async Task RepliesOwedAsync()
    {
        Task answered;
        lock (_owedGate)
        {
            if (_owed <= 0)
            {
                return;
            }

            _nothingOwed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            answered = _nothingOwed.Task;
        }

        try
        {
            await answered.WaitAsync(EndOfInputGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Whatever still runs is cancelled once JsonRpc learns the input has ended.
        }
    }

    private ValueTask RefuseAsync(Refusal refusal, CancellationToken ct)
    {
        Log.InvalidMessage(_logger, refusal.Error!.Message!);
        return WriteAsync(refusal, ct);
    }

    /// <summary>The body's bytes, copied out of the pipe; null when the input ends first.</summary>
    private async ValueTask<byte[]?> ReadBodyAsync(PipeReader reader, int length, CancellationToken ct)
    {
        if (length == 0)
        {
            return [];
        }

        ReadResult result;
        try
        {
            result = await ReadAtLeastAsync(length, allowEmpty: false, ct).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        ReadOnlySequence<byte> body = result.Buffer.Slice(0, length);
        byte[] copy = body.ToArray();
        reader.AdvanceTo(body.End);
        return copy;
    }

    private static bool IsBatch(ReadOnlySpan<byte> body)
    {
        int first = body.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && body[first] == (byte)'[';
    }

    /// <summary>
    /// Queues the batch's requests for JsonRpc and answers its refused members; the replies are
    /// gathered into one array as they are written.
    /// </summary>
    private async ValueTask AcceptBatchAsync(byte[] body, CancellationToken ct)
    {
        var requests = new List<JsonRpcRequest>();
        var refusals = new List<Refusal>();
        var expected = new List<object>();
        try
        {
            using JsonDocument batch = JsonDocument.Parse(body);
            if (batch.RootElement.GetArrayLength() == 0)
            {
                await RefuseAsync(RequestScreen.Error(RequestId.Null, JsonRpcErrorCode.InvalidRequest, "Invalid request: empty batch."), ct).ConfigureAwait(false);
                return;
            }

            foreach (JsonElement element in batch.RootElement.EnumerateArray())
            {
                Screened screened = element.ValueKind == JsonValueKind.Object
                    ? RequestScreen.Screen(Formatter, JsonMarshal.GetRawUtf8Value(element).ToArray())
                    : new Screened(null, RequestScreen.Error(RequestId.Null, JsonRpcErrorCode.InvalidRequest, $"Invalid request: expected an object, got {element.ValueKind}."));
                if (screened.Request is { } request)
                {
                    requests.Add(request);
                    if (request.IsResponseExpected)
                    {
                        expected.Add(request.RequestId);
                    }
                }
                else
                {
                    refusals.Add(screened.Refusal!);
                    expected.Add(screened.Refusal!);
                }
            }
        }
        catch (JsonException ex)
        {
            await RefuseAsync(RequestScreen.Error(RequestId.Null, JsonRpcErrorCode.ParseError, $"Parse error: {ex.Message}"), ct).ConfigureAwait(false);
            return;
        }

        _batches.Open(expected);
        foreach (JsonRpcRequest request in requests)
        {
            _batchRequests.Enqueue(request);
        }

        foreach (Refusal refusal in refusals)
        {
            await RefuseAsync(refusal, ct).ConfigureAwait(false);
        }
    }

    private byte[] Serialize(JsonRpcMessage message)
    {
        var json = new ArrayBufferWriter<byte>();
        Formatter.Serialize(json, message);
        return json.WrittenSpan.ToArray();
    }

    /// <summary>Writes a complete batch's replies as one frame holding a JSON array.</summary>
    private void WriteBatch(BatchReplies.Slot[] batch)
    {
        int length = 1 + batch.Sum(s => s.Json!.Length + 1);
        PipeWriter writer = Writer!;
        writer.Write(Encoding.ASCII.GetBytes($"Content-Length: {length}\r\n\r\n"));
        writer.Write("["u8);
        for (int i = 0; i < batch.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(batch[i].Json);
        }

        writer.Write("]"u8);
        _unflushed.AddRange(batch.Select(s => s.Reply!));
    }
}
