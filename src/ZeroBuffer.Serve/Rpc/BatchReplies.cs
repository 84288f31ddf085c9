using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace ZeroBuffer.Serve.Rpc;

/// <summary>An error reply the handler itself makes for a message it refused (never one of JsonRpc's).</summary>
internal sealed class Refusal : JsonRpcError;

/// <summary>
/// The batches still waiting for replies. StreamJsonRpc answers each request of a batch on its
/// own; JSON-RPC 2.0 §6 wants one array, so each reply is held here, in the batch's order, until
/// the last one arrives. Thread-safe.
/// </summary>
internal sealed class BatchReplies
{
    private readonly Lock _gate = new();
    private readonly List<Slot[]> _open = [];

    /// <summary>
    /// Opens a batch whose replies are, in order, one per request JsonRpc will answer (matched by
    /// id) or one per <see cref="Refusal"/> (matched by reference). An empty batch needs no reply.
    /// </summary>
    public void Open(IReadOnlyList<object> expected)
    {
        if (expected.Count == 0)
        {
            return;
        }

        Slot[] batch = expected.Select(e => new Slot(e)).ToArray();
        lock (_gate)
        {
            _open.Add(batch);
        }
    }

    /// <summary>
    /// Whether <paramref name="reply"/> belongs to an open batch. If so, it is kept (as
    /// <paramref name="serialize"/> renders it) and <paramref name="complete"/> is the whole
    /// batch once this was its last reply, else null.
    /// </summary>
    public bool TryAdd(JsonRpcMessage reply, Func<JsonRpcMessage, byte[]> serialize, out Slot[]? complete)
    {
        complete = null;
        lock (_gate)
        {
            foreach (Slot[] batch in _open)
            {
                Slot? slot = Array.Find(batch, s => s.Reply is null && s.Matches(reply));
                if (slot is null)
                {
                    continue;
                }

                slot.Reply = reply;
                slot.Json = serialize(reply);
                if (Array.TrueForAll(batch, s => s.Json is not null))
                {
                    _open.Remove(batch);
                    complete = batch;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>One expected reply of a batch.</summary>
    internal sealed class Slot(object expected)
    {
        public JsonRpcMessage? Reply { get; set; }

        public byte[]? Json { get; set; }

        public bool Matches(JsonRpcMessage reply) => expected switch
        {
            Refusal refusal => ReferenceEquals(refusal, reply),
            RequestId id => reply is not Refusal && reply is IJsonRpcMessageWithId { RequestId: var replyId } && replyId.Equals(id),
            _ => false,
        };
    }
}
