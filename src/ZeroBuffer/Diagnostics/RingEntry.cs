namespace ZeroBuffer.Diagnostics;

/// <summary>What the payload ring holds at an offset (PROTOCOL.md §4).</summary>
public enum RingEntryKind
{
    /// <summary>A frame header (payload_size and sequence as stored; not validated).</summary>
    Frame,

    /// <summary>A header with payload_size = 0 and sequence = 0: "continue at offset 0".</summary>
    WrapMarker,

    /// <summary>Fewer than 16 bytes to the end of the ring: no room for a header, both sides skip them.</summary>
    ImplicitWrap,
}

/// <summary>
/// One entry of the payload ring as <see cref="BufferInspector.RingEntryAt"/> reads it. For a wrap,
/// <see cref="WastedBytes"/> are the bytes from <see cref="Offset"/> to the end of the ring that no frame uses
/// (the writer takes them from payload_free_bytes when it wraps, the reader gives them back); 0 for a frame.
/// </summary>
public sealed record RingEntry(ulong Offset, RingEntryKind Kind, ulong PayloadSize, ulong Sequence, ulong WastedBytes);
