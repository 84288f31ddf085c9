using System.Text.Json;
using Harmony.Protocol.Messages;

namespace Harmony.Protocol.Rpc;

/// <summary>
/// A reply to send: a result or an error for <see cref="Id"/> (null = <c>"id": null</c>, used when
/// the request's id could not be read).
/// </summary>
public sealed record JsonRpcResponse(JsonElement? Id, JsonElement? Result, JsonRpcError? Error)
{
    /// <summary>A success reply; <paramref name="result"/> is serialised with <see cref="ProtocolJson.Options"/>.</summary>
    public static JsonRpcResponse Success(JsonElement? id, object? result) =>
        new(id, JsonSerializer.SerializeToElement(result, ProtocolJson.Options), null);

    public static JsonRpcResponse Failure(JsonElement? id, JsonRpcErrorCode code, string message, JsonElement? data = null) =>
        new(id, null, new JsonRpcError(code, message, data));

    public static JsonRpcResponse Failure(JsonElement? id, JsonRpcError error) => new(id, null, error);

    public bool IsError => Error is not null;
}
