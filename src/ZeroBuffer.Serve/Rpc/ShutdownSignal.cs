using Harmony.Protocol.Messages;
using StreamJsonRpc.Protocol;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>
/// Set by the <c>shutdown</c> method; <see cref="Acknowledged"/> completes once its reply has
/// been written, so the worker releases everything and exits only after the caller has its answer.
/// </summary>
public sealed class ShutdownSignal
{
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The result <c>shutdown</c> answers with, recognised by reference when it is sent.</summary>
    public OkResult Reply { get; } = new(true);

    public Task Acknowledged => _acknowledged.Task;

    /// <summary>Called for every message sent.</summary>
    public void OnSent(JsonRpcMessage message)
    {
        if (message is JsonRpcResult { Result: var result } && ReferenceEquals(result, Reply))
        {
            _acknowledged.TrySetResult();
        }
    }
}
