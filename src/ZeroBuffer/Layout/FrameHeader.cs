using System.Runtime.InteropServices;

namespace ZeroBuffer.Layout;

/// <summary>The 16-byte header before each frame; payload_size = 0 and sequence = 0 is a wrap marker.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct FrameHeader
{
    internal const int Size = 16;
    internal const int PayloadSizeOffset = 0;
    internal const int SequenceOffset = 8;

    [FieldOffset(PayloadSizeOffset)] internal ulong PayloadSize;
    [FieldOffset(SequenceOffset)] internal ulong Sequence;
}
