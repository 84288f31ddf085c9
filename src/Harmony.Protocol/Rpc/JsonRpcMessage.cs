using System.Text.Json;

namespace Harmony.Protocol.Rpc;

/// <summary>One element of an incoming packet, as classified by <see cref="JsonRpcMessageParser"/>.</summary>
public abstract record JsonRpcMessage;

/// <summary>
/// A well-formed request. <see cref="Id"/> is null for a notification (no <c>id</c> member);
/// an explicit <c>"id": null</c> is kept as a <see cref="JsonValueKind.Null"/> element.
/// </summary>
public sealed record JsonRpcRequest(JsonElement? Id, string Method, JsonElement? Params) : JsonRpcMessage
{
    public bool IsNotification => Id is null;
}

/// <summary>A reply to one of our requests: exactly one of <see cref="Result"/> and <see cref="Error"/> is set.</summary>
public sealed record JsonRpcReply(JsonElement Id, JsonElement? Result, JsonRpcError? Error) : JsonRpcMessage;

/// <summary>
/// An element that is not a valid request or reply. <see cref="Id"/> is the id to answer with
/// (null when none could be read), <see cref="Error"/> the error to answer.
/// </summary>
public sealed record JsonRpcInvalidMessage(JsonElement? Id, JsonRpcError Error) : JsonRpcMessage;

/// <summary>
/// A parsed frame body: a single message, a batch, or a body that is refused as a whole
/// (<see cref="Refusal"/>: a parse error or an empty batch).
/// </summary>
public sealed record JsonRpcPacket(bool IsBatch, IReadOnlyList<JsonRpcMessage> Messages, JsonRpcError? Refusal)
{
    public static JsonRpcPacket Refused(JsonRpcError error) => new(false, [], error);
}
