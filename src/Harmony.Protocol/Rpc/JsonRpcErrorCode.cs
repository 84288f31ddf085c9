namespace Harmony.Protocol.Rpc;

/// <summary>The error codes JSON-RPC 2.0 reserves (section 5.1 of the specification).</summary>
public enum JsonRpcErrorCode
{
    /// <summary>The body is not valid JSON.</summary>
    ParseError = -32700,

    /// <summary>The JSON is not a valid request object (or the frame header was bad).</summary>
    InvalidRequest = -32600,

    /// <summary>No such method.</summary>
    MethodNotFound = -32601,

    /// <summary>The params do not fit the method.</summary>
    InvalidParams = -32602,

    /// <summary>The method failed outside of anything the caller could have done differently.</summary>
    InternalError = -32603,
}
