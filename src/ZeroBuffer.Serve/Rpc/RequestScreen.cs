using System.Buffers;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>A body that is a request this worker takes, or the error that refuses it.</summary>
internal readonly record struct Screened(JsonRpcRequest? Request, Refusal? Refusal);

/// <summary>
/// Lets through only what JSON-RPC 2.0 calls a request. StreamJsonRpc's formatter is laxer (a
/// missing <c>"jsonrpc"</c> reads as version 1.0) and harsher (anything else it cannot read throws,
/// which ends the connection); here both become an error reply and the worker serves on.
/// </summary>
internal static class RequestScreen
{
    public static Screened Screen(IJsonRpcMessageFormatter formatter, ReadOnlyMemory<byte> body)
    {
        JsonRpcMessage message;
        try
        {
            message = formatter.Deserialize(new ReadOnlySequence<byte>(body));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new Screened(null, Explain(body, ex));
        }

        return message switch
        {
            JsonRpcRequest { Version: not "2.0" } request =>
                Refuse(request.RequestId, JsonRpcErrorCode.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\"."),
            JsonRpcRequest { Method: null } request =>
                Refuse(request.RequestId, JsonRpcErrorCode.InvalidRequest, "Invalid request: 'method' must be a string."),
            JsonRpcRequest request => new Screened(request, null),
            IJsonRpcMessageWithId reply =>
                Refuse(reply.RequestId, JsonRpcErrorCode.InvalidRequest, "Invalid request: this worker sends no requests, so it takes no replies."),
            _ => Refuse(RequestId.Null, JsonRpcErrorCode.InvalidRequest, "Invalid request."),
        };
    }

    /// <summary>An error reply; a request without an id is answered with id null.</summary>
    public static Refusal Error(RequestId id, JsonRpcErrorCode code, string message) => new()
    {
        RequestId = id.IsEmpty ? RequestId.Null : id,
        Error = new JsonRpcError.ErrorDetail { Code = code, Message = message },
    };

    private static Screened Refuse(RequestId id, JsonRpcErrorCode code, string message) => new(null, Error(id, code, message));

    /// <summary>Why the formatter could not read <paramref name="body"/>, with the request's id where one is readable.</summary>
    private static Refusal Explain(ReadOnlyMemory<byte> body, Exception failure)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Error(RequestId.Null, JsonRpcErrorCode.ParseError, $"Parse error: {ex.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(RequestId.Null, JsonRpcErrorCode.InvalidRequest, $"Invalid request: expected an object, got {root.ValueKind}.");
            }

            RequestId id = ReadableId(root);
            if (root.TryGetProperty("method", out JsonElement method) && method.ValueKind == JsonValueKind.String
                && root.TryGetProperty("params", out JsonElement parameters)
                && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
            {
                return Error(id, JsonRpcErrorCode.InvalidParams,
                    $"Invalid params for '{method.GetString()}': 'params' must be an object or an array, got {parameters.ValueKind}.");
            }

            return Error(id, JsonRpcErrorCode.InvalidRequest, $"Invalid request: {failure.Message}");
        }
    }

    private static RequestId ReadableId(JsonElement message)
    {
        if (!message.TryGetProperty("id", out JsonElement id))
        {
            return RequestId.Null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String => new RequestId(id.GetString()),
            JsonValueKind.Number when id.TryGetInt64(out long number) => new RequestId(number),
            _ => RequestId.Null,
        };
    }
}
