using System.Text.Json;
using Harmony.Protocol.Rpc;
using Microsoft.Extensions.Logging;
using ZeroBuffer.Serve.Logging;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>Handles one method call; returns the result object (serialised with ProtocolJson.Options).</summary>
public delegate Task<object?> RpcHandler(JsonElement? parameters, CancellationToken ct);

/// <summary>
/// Turns one frame body into the reply body (or none): parse and validity errors, batches,
/// notifications (never answered), unknown methods (-32601), bad params (-32602) and handler
/// failures (-32603). Handlers run one at a time, in arrival order.
/// </summary>
public sealed class RpcDispatcher(IReadOnlyDictionary<string, RpcHandler> handlers, ILogger<RpcDispatcher> logger)
{
    /// <summary>The reply body for <paramref name="body"/>, or null when nothing is to be answered.</summary>
    public async Task<byte[]?> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        JsonRpcPacket packet = JsonRpcMessageParser.Parse(body);
        if (packet.Refusal is { } refusal)
        {
            Log.InvalidMessage(logger, refusal.Message);
            return JsonRpcMessageWriter.Response(JsonRpcResponse.Failure(null, refusal));
        }

        if (!packet.IsBatch)
        {
            JsonRpcResponse? reply = await HandleMessageAsync(packet.Messages[0], ct).ConfigureAwait(false);
            return reply is null ? null : JsonRpcMessageWriter.Response(reply);
        }

        var replies = new List<JsonRpcResponse>(packet.Messages.Count);
        foreach (JsonRpcMessage message in packet.Messages)
        {
            if (await HandleMessageAsync(message, ct).ConfigureAwait(false) is { } reply)
            {
                replies.Add(reply);
            }
        }

        // A batch of notifications only gets no reply at all (JSON-RPC 2.0 §6).
        return replies.Count == 0 ? null : JsonRpcMessageWriter.Batch(replies);
    }

    /// <summary>An error reply for a frame whose header was refused (the body never reached JSON).</summary>
    public static byte[] BadFrameReply(string reason) =>
        JsonRpcMessageWriter.Response(JsonRpcResponse.Failure(null, JsonRpcErrorCode.InvalidRequest, reason));

    private async Task<JsonRpcResponse?> HandleMessageAsync(JsonRpcMessage message, CancellationToken ct)
    {
        switch (message)
        {
            case JsonRpcInvalidMessage invalid:
                Log.InvalidMessage(logger, invalid.Error.Message);
                return JsonRpcResponse.Failure(invalid.Id, invalid.Error);
            case JsonRpcReply reply:
                Log.InvalidMessage(logger, "a reply arrived, but this worker sends no requests");
                return JsonRpcResponse.Failure(reply.Id.ValueKind == JsonValueKind.Undefined ? null : reply.Id,
                    JsonRpcErrorCode.InvalidRequest, "Invalid request: this worker sends no requests, so it takes no replies.");
            case JsonRpcRequest request:
                JsonRpcResponse response = await InvokeAsync(request, ct).ConfigureAwait(false);
                return request.IsNotification ? null : response;
            default:
                return JsonRpcResponse.Failure(null, JsonRpcErrorCode.InvalidRequest, "Invalid request.");
        }
    }

    private async Task<JsonRpcResponse> InvokeAsync(JsonRpcRequest request, CancellationToken ct)
    {
        Log.Request(logger, request.Method, request.Id?.GetRawText() ?? "none: notification");
        if (!handlers.TryGetValue(request.Method, out RpcHandler? handler))
        {
            Log.UnknownMethod(logger, request.Method);
            return JsonRpcResponse.Failure(request.Id, JsonRpcErrorCode.MethodNotFound,
                $"Method not found: '{request.Method}'. Known methods: {string.Join(", ", handlers.Keys.Order(StringComparer.Ordinal))}.");
        }

        try
        {
            object? result = await handler(request.Params, ct).ConfigureAwait(false);
            return JsonRpcResponse.Success(request.Id, result);
        }
        catch (RpcParamsException ex)
        {
            Log.InvalidMessage(logger, ex.Message);
            return JsonRpcResponse.Failure(request.Id, JsonRpcErrorCode.InvalidParams, ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.MethodFailed(logger, request.Method, ex);
            return JsonRpcResponse.Failure(request.Id, JsonRpcErrorCode.InternalError,
                $"Internal error in '{request.Method}': {ex.GetType().Name}: {ex.Message}");
        }
    }
}
