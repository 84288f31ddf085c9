namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// A request frame handed from the server loop to a handler thread. <see cref="Frame"/> is a ref struct
/// and cannot cross threads, so the loop passes its parts and the handler thread rebuilds it.
/// </summary>
internal readonly unsafe struct RequestSlot
{
    private readonly byte* _data;
    private readonly int _size;
    private readonly long _ticket;

    internal RequestSlot(in Frame frame, ResponseSession? session)
    {
        _data = frame.Pointer;
        _size = frame.Size;
        Sequence = frame.Sequence;
        _ticket = frame.Ticket;
        Session = session;
    }

    internal ulong Sequence { get; }

    /// <summary>The client session the request belongs to (null for a request carried over to the next session).</summary>
    internal ResponseSession? Session { get; }

    internal Frame ToFrame(Reader reader) => new(reader, _data, _size, Sequence, _ticket);
}
