using System.Text.Json;

namespace Harmony.Protocol.Exceptions;

/// <summary>The peer answered a request with a JSON-RPC error object.</summary>
public sealed class JsonRpcRemoteException : ProtocolException
{
    public JsonRpcRemoteException(int code, string message, JsonElement? data)
        : base(message)
    {
        Code = code;
        Data = data;
    }

    /// <summary>The error code (see <c>JsonRpcErrorCode</c> for the reserved ones).</summary>
    public int Code { get; }

    /// <summary>The error object's optional <c>data</c> member.</summary>
    public new JsonElement? Data { get; }

    public override string ToString() => $"JSON-RPC error {Code}: {Message}";
}
