namespace ZeroBuffer.Diagnostics;

/// <summary>
/// A snapshot of a buffer's OIEB (PROTOCOL.md §2) plus whether the recorded processes are alive.
/// Fields are read one by one without locking, so a busy buffer may show a mix of moments.
/// </summary>
public sealed record BufferState(
    uint OiebSize,
    string Version,
    ulong MetadataSize,
    ulong MetadataFreeBytes,
    ulong MetadataWrittenBytes,
    ulong PayloadSize,
    ulong PayloadFreeBytes,
    ulong PayloadWritePos,
    ulong PayloadReadPos,
    ulong PayloadWrittenCount,
    ulong PayloadReadCount,
    ulong WriterPid,
    ulong ReaderPid,
    bool ReaderAlive,
    bool WriterAlive)
{
    /// <summary>
    /// The largest frame, header included, the writer could place now without waiting: what PROTOCOL.md §4
    /// steps 3-4 allow with these positions and free bytes (see <see cref="ContinuousFree"/>).
    /// </summary>
    public ulong ContinuousFreeBytes => ContinuousFree(PayloadSize, PayloadFreeBytes, PayloadWritePos);

    /// <summary>
    /// Continuous free bytes of a ring: a frame of total bytes fits without waiting either in the tail
    /// (total &lt;= payload_size - write_pos and &lt;= free) or, wrapping, at the start (the tail is consumed too:
    /// tail + total &lt;= free). So: 0 when the ring is full; read_pos - write_pos when write_pos &lt; read_pos
    /// (free never exceeds it then); otherwise the tail or the start up to read_pos, whichever is larger, and
    /// only the tail when read_pos is 0 (wrapping would meet the reader). Unreleased frames lower it further.
    /// read_pos needs no term of its own: the free-byte accounting already keeps a wrapping frame short of it.
    /// A write_pos at payload_size (older writers leave it) has no tail.
    /// </summary>
    public static ulong ContinuousFree(ulong payloadSize, ulong freeBytes, ulong writePos)
    {
        ulong tail = writePos >= payloadSize ? 0 : payloadSize - writePos;
        ulong inTail = Math.Min(tail, freeBytes);
        ulong atStart = freeBytes > tail ? freeBytes - tail : 0;
        return Math.Max(inTail, atStart);
    }
}

