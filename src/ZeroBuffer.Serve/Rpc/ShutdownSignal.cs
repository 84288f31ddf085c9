namespace ZeroBuffer.Serve.Rpc;

/// <summary>Set by <c>shutdown</c>; the stdio loop exits after sending that reply.</summary>
public sealed class ShutdownSignal
{
    private volatile bool _requested;

    public bool Requested => _requested;

    public void Request() => _requested = true;
}
