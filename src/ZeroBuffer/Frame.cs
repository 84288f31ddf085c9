namespace ZeroBuffer;

/// <summary>
/// A zero-copy view of one frame in the ring, valid until it is disposed (or its reader is). Dispose
/// returns the frame's 16 + n bytes to the writer; disposing twice (or a copy) is a no-op.
/// Frames are meant to be released in read order. Releasing out of order is safe: the space of a
/// frame is returned only once every earlier frame has been released as well, because the writer
/// reuses the ring in order.
/// </summary>
public readonly unsafe ref struct Frame
{
    private readonly Reader? _reader;
    private readonly byte* _data;
    private readonly long _ticket;

    internal Frame(Reader reader, byte* data, int size, ulong sequence, long ticket)
    {
        _reader = reader;
        _data = data;
        Size = size;
        Sequence = sequence;
        _ticket = ticket;
    }

    /// <summary>The "no frame" value returned when a read times out.</summary>
    public static Frame Invalid => default;

    /// <summary>False for the timeout result (<see cref="Invalid"/>).</summary>
    public bool IsValid => _data != null;

    /// <summary>The frame's sequence number (1, 2, ... per writer connection); 0 when invalid.</summary>
    public ulong Sequence { get; }

    /// <summary>Payload length in bytes; 0 when invalid.</summary>
    public int Size { get; }

    /// <summary>The payload, in place in shared memory.</summary>
    public ReadOnlySpan<byte> Span => new(_data, Size);

    /// <summary>The payload start, for interop. Valid as long as <see cref="Span"/> is.</summary>
    public byte* Pointer => _data;

    /// <summary>A writable view of the payload (e.g. to transform it in place before passing it on).</summary>
    public Span<byte> GetMutableSpan() => new(_data, Size);

    /// <summary>Copies the payload into a new array.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>The reader's release ticket of this frame (for <see cref="Reader.ReleaseFrame(long)"/>).</summary>
    internal long Ticket => _ticket;

    /// <summary>Releases the frame's ring space to the writer. Idempotent.</summary>
    public void Dispose() => _reader?.ReleaseFrame(_ticket);

    public override string ToString() => IsValid ? $"Frame(Sequence={Sequence}, Size={Size})" : "Frame(Invalid)";
}
