using Harmony.Protocol.Messages;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using ZeroBuffer.Serve.Logging;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>
/// The worker's JSON-RPC connection: StreamJsonRpc's <see cref="JsonRpc"/>, with the error codes
/// the contract gives a failing method (bad params -32602, anything else -32603, where StreamJsonRpc
/// would send -32000 with the exception's stack), every running call cancelled when the
/// connection ends, and methods invoked on the reading thread (<see cref="InlineSynchronizationContext"/>).
/// </summary>
internal sealed class WorkerRpc : JsonRpc
{
    private readonly ILogger _logger;

    public WorkerRpc(IJsonRpcMessageHandler handler, ILogger logger)
        : base(handler)
    {
        _logger = logger;
        CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;
        SynchronizationContext = new InlineSynchronizationContext();
    }

    /// <summary>System.Text.Json with the protocol's options: camelCase out, any case and the compatibility forms in.</summary>
    public static SystemTextJsonFormatter CreateFormatter() => new() { JsonSerializerOptions = ProtocolJson.Options };

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is RpcParamsException)
        {
            Log.InvalidMessage(_logger, exception.Message);
            return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = exception.Message };
        }

        Log.MethodFailed(_logger, request.Method ?? "", exception);
        return new JsonRpcError.ErrorDetail
        {
            Code = JsonRpcErrorCode.InternalError,
            Message = $"Internal error in '{request.Method}': {exception.GetType().Name}: {exception.Message}",
        };
    }
}
