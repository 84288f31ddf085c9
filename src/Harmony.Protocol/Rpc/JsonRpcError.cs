using System.Text.Json;

namespace Harmony.Protocol.Rpc;

/// <summary>A JSON-RPC error object.</summary>
public sealed record JsonRpcError(int Code, string Message, JsonElement? Data = null)
{
    public JsonRpcError(JsonRpcErrorCode code, string message, JsonElement? data = null)
        : this((int)code, message, data)
    {
    }
}
