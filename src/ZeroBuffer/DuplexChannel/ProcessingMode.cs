namespace ZeroBuffer.DuplexChannel;

/// <summary>How a duplex server runs its handler (PROTOCOL.md §8).</summary>
public enum ProcessingMode
{
    /// <summary>One request at a time, answered in request order (in-order mode unless correlation is asked for).</summary>
    SingleThread,

    /// <summary>Several handlers at once; responses may leave out of order, so the channel is correlated.</summary>
    ThreadPool,
}
