namespace ZeroBuffer.Diagnostics;

/// <summary>A frame header as it sits in the payload ring (PROTOCOL.md §3); a payload size of 0 is a wrap marker.</summary>
public readonly record struct FrameHeaderState(ulong PayloadSize, ulong Sequence)
{
    public bool IsWrapMarker => PayloadSize == 0;
}
