namespace ZeroBuffer.Serve.Rpc;

/// <summary>
/// Runs what JsonRpc posts at once, on the thread that read the request. JsonRpc posts each
/// invocation in arrival order, so methods still start in that order, now without a hop to
/// another thread: on a 2-core host that hop cost about a fifth of a <c>health</c> round trip
/// (scripts/rpc-roundtrip.py). A method runs there until its first real await; the read loop then
/// goes on. A step the method starts there runs on the same thread once the read loop has nothing
/// left to dispatch (<see cref="Steps.InlineSteps"/>); a <c>$/cancelRequest</c> sent meanwhile still
/// reaches it, within the parent watch's poll (<see cref="Hosting.ParentWatch"/>).
/// </summary>
internal sealed class InlineSynchronizationContext : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;
}
