namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// Where a <see cref="RequestHandler"/> writes its one response. Its methods have the names of
/// <see cref="Writer"/>'s (1.x handlers wrote to a Writer), but it adds the correlated prefix when the
/// channel needs it and is safe while other handlers answer at the same time. One instance per
/// handler thread, reused for every request: answering allocates nothing.
/// </summary>
public sealed class DuplexResponseWriter
{
    private ResponseSession? _session;
    private bool _reserved;

    internal DuplexResponseWriter()
    {
    }

    /// <summary>The sequence of the request being answered.</summary>
    public ulong RequestSequence { get; private set; }

    /// <summary>True once the response was sent.</summary>
    public bool HasResponded { get; private set; }

    /// <summary>Copies <paramref name="data"/> as the response.</summary>
    /// <exception cref="ReaderDeadException">The client is gone.</exception>
    public void WriteFrame(ReadOnlySpan<byte> data)
    {
        Span<byte> target = GetFrameBuffer(data.Length);
        data.CopyTo(target);
        CommitFrame();
    }

    /// <summary>Reserves the response for filling in place (zero-copy); <see cref="CommitFrame"/> sends it.</summary>
    /// <exception cref="ReaderDeadException">The client is gone.</exception>
    public Span<byte> GetFrameBuffer(int size)
    {
        ResponseSession session = _session ?? throw new InvalidOperationException("The response writer is used outside its handler call.");
        if (HasResponded || _reserved)
        {
            throw new InvalidOperationException($"Request {RequestSequence} already has a response; a handler answers exactly once.");
        }

        Span<byte> span = session.Reserve(size, RequestSequence);
        _reserved = true;
        return span;
    }

    /// <summary>Sends the response reserved by <see cref="GetFrameBuffer"/>.</summary>
    public void CommitFrame()
    {
        if (!_reserved || _session is null)
        {
            throw new InvalidOperationException("CommitFrame without GetFrameBuffer.");
        }

        _reserved = false;
        HasResponded = true;
        _session.Commit();
    }

    internal void Begin(ResponseSession session, ulong requestSequence)
    {
        _session = session;
        RequestSequence = requestSequence;
        HasResponded = false;
        _reserved = false;
    }

    /// <summary>Ends the handler call; an uncommitted reservation is sent as is rather than left holding the lock.</summary>
    internal void End()
    {
        if (_reserved)
        {
            CommitFrame();
        }

        _session = null;
    }
}
