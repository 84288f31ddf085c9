using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Harmony.Protocol.Exceptions;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harmony.Protocol.Rpc;

/// <summary>
/// The calling side of a JSON-RPC 2.0 connection over two streams with header-delimited framing.
/// Requests get increasing integer ids; a background loop matches replies to pending calls.
/// Requests and notifications from the peer are not served (requests get -32601).
/// Disposing the client closes both streams.
/// </summary>
public sealed class JsonRpcClient : IAsyncDisposable
{
    private static readonly TimeSpan DisposeJoinTimeout = TimeSpan.FromSeconds(5);

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ContentLengthReader _reader;
    private readonly ContentLengthWriter _writer;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _readLoop;
    private long _nextId;
    private volatile ConnectionLostException? _lost;
    private int _disposed;

    public JsonRpcClient(Stream fromPeer, Stream toPeer, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fromPeer);
        ArgumentNullException.ThrowIfNull(toPeer);
        _input = PipeReader.Create(fromPeer);
        _output = PipeWriter.Create(toPeer);
        _reader = new ContentLengthReader(_input);
        _writer = new ContentLengthWriter(_output);
        _logger = logger ?? NullLogger.Instance;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// Completes when the read loop stops: successfully at the peer's end of stream or on
    /// dispose, faulted with <see cref="ConnectionLostException"/> when the stream broke.
    /// </summary>
    public Task Completion => _readLoop;

    /// <summary>Calls <paramref name="method"/> and returns the raw <c>result</c>.</summary>
    /// <exception cref="JsonRpcRemoteException">The peer answered with an error.</exception>
    /// <exception cref="ConnectionLostException">The connection ended before the reply.</exception>
    public async Task<JsonElement> InvokeAsync(string method, object? parameters, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_lost is { } lost)
        {
            throw new ConnectionLostException($"Cannot call '{method}': {lost.Message}", lost.InnerException);
        }

        long id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;

        // The read loop may have ended between the check above and the registration.
        if (_lost is { } lostNow && _pending.TryRemove(id, out _))
        {
            throw new ConnectionLostException($"Cannot call '{method}': {lostNow.Message}", lostNow.InnerException);
        }

        await using CancellationTokenRegistration registration = ct.Register(() =>
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<JsonElement>? cancelled))
            {
                cancelled.TrySetCanceled(ct);
            }
        });

        try
        {
            byte[] body = JsonRpcMessageWriter.Request(id, method, parameters);
            _logger.LogDebug("-> {Method} #{Id} ({Bytes} bytes)", method, id, body.Length);
            await _writer.WriteMessageAsync(body, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or ConnectionLostException)
        {
            _pending.TryRemove(id, out _);
            throw ex as ConnectionLostException
                ?? new ConnectionLostException($"Cannot send '{method}': the connection to the peer is broken ({ex.Message}).", ex);
        }

        return await reply.Task.ConfigureAwait(false);
    }

    /// <summary>Calls <paramref name="method"/> and deserialises the result with <see cref="ProtocolJson.Options"/>.</summary>
    public async Task<T> InvokeAsync<T>(string method, object? parameters, CancellationToken ct = default)
    {
        JsonElement result = await InvokeAsync(method, parameters, ct).ConfigureAwait(false);
        try
        {
            return result.Deserialize<T>(ProtocolJson.Options)
                ?? throw new ProtocolException($"'{method}' returned null where a {typeof(T).Name} was expected.");
        }
        catch (JsonException ex)
        {
            throw new ProtocolException($"'{method}' returned a result that is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _input.CancelPendingRead();
        await _output.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.WaitAsync(DisposeJoinTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ConnectionLostException)
        {
            _logger.LogDebug(ex, "Read loop ended with an error during dispose");
        }

        FailPending(new ConnectionLostException("The JSON-RPC client was disposed."));
        _stopping.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        ConnectionLostException? failure = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                byte[]? body;
                try
                {
                    body = await _reader.ReadMessageAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (BadHeaderException ex)
                {
                    _logger.LogWarning("Skipping a bad frame from the peer: {Reason}", ex.Message);
                    continue;
                }

                if (body is null)
                {
                    FailPending(new ConnectionLostException("The peer closed its output stream."));
                    return;
                }

                await HandleAsync(body).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException)
        {
            failure = new ConnectionLostException($"The connection to the peer broke: {ex.Message}", ex);
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }

        FailPending(failure ?? new ConnectionLostException("The JSON-RPC client was disposed."));
        if (failure is not null && !_stopping.IsCancellationRequested)
        {
            throw failure;
        }
    }

    private async Task HandleAsync(byte[] body)
    {
        JsonRpcPacket packet = JsonRpcMessageParser.Parse(body);
        if (packet.Refusal is { } refusal)
        {
            _logger.LogWarning("Ignoring an unreadable message from the peer: {Reason}", refusal.Message);
            return;
        }

        foreach (JsonRpcMessage message in packet.Messages)
        {
            switch (message)
            {
                case JsonRpcReply reply:
                    Complete(reply);
                    break;
                case JsonRpcRequest { IsNotification: true } notification:
                    _logger.LogDebug("Ignoring notification '{Method}' from the peer", notification.Method);
                    break;
                case JsonRpcRequest request:
                    _logger.LogWarning("The peer called '{Method}'; this client serves no methods", request.Method);
                    await TryAnswerAsync(JsonRpcResponse.Failure(request.Id, JsonRpcErrorCode.MethodNotFound,
                        $"Method not found: '{request.Method}' (this side serves no methods).")).ConfigureAwait(false);
                    break;
                case JsonRpcInvalidMessage invalid:
                    _logger.LogWarning("Ignoring an invalid message from the peer: {Reason}", invalid.Error.Message);
                    break;
            }
        }
    }

    private void Complete(JsonRpcReply reply)
    {
        if (!TryReadId(reply.Id, out long id))
        {
            _logger.LogWarning("The peer sent a reply without a usable id: {Error}", reply.Error?.Message ?? "(result)");
            return;
        }

        if (!_pending.TryRemove(id, out TaskCompletionSource<JsonElement>? waiter))
        {
            _logger.LogWarning("The peer answered #{Id}, which is not pending", id);
            return;
        }

        if (reply.Error is { } error)
        {
            waiter.TrySetException(new JsonRpcRemoteException(error.Code, error.Message, error.Data));
        }
        else
        {
            waiter.TrySetResult(reply.Result ?? default);
        }
    }

    private async Task TryAnswerAsync(JsonRpcResponse response)
    {
        try
        {
            await _writer.WriteMessageAsync(JsonRpcMessageWriter.Response(response)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or ConnectionLostException)
        {
            _logger.LogDebug(ex, "Could not answer the peer");
        }
    }

    private static bool TryReadId(JsonElement id, out long value)
    {
        value = 0;
        return id.ValueKind switch
        {
            JsonValueKind.Number => id.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(id.GetString(), out value),
            _ => false,
        };
    }

    private void FailPending(ConnectionLostException reason)
    {
        _lost ??= reason;
        foreach (long id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<JsonElement>? waiter))
            {
                waiter.TrySetException(new ConnectionLostException(reason.Message, reason.InnerException));
            }
        }
    }
}
