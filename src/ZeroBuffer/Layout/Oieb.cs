using System.Runtime.InteropServices;

namespace ZeroBuffer.Layout;

/// <summary>
/// The Operation Info Exchange Block at offset 0 of the shared memory (PROTOCOL.md §2), little-endian.
/// It is only ever accessed in place through a pointer into the mapping, never copied.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct Oieb
{
    internal const int Size = 128;

    internal const int OiebSizeOffset = 0x00;
    internal const int VersionOffset = 0x04;
    internal const int MetadataSizeOffset = 0x08;
    internal const int MetadataFreeBytesOffset = 0x10;
    internal const int MetadataWrittenBytesOffset = 0x18;
    internal const int PayloadSizeOffset = 0x20;
    internal const int PayloadFreeBytesOffset = 0x28;
    internal const int PayloadWritePosOffset = 0x30;
    internal const int PayloadReadPosOffset = 0x38;
    internal const int PayloadWrittenCountOffset = 0x40;
    internal const int PayloadReadCountOffset = 0x48;
    internal const int WriterPidOffset = 0x50;
    internal const int ReaderPidOffset = 0x58;
    internal const int ReservedOffset = 0x60;

    internal const byte VersionMajor = 1;
    internal const byte VersionMinor = 0;
    internal const byte VersionPatch = 0;

    /// <summary>Set last, with release semantics, when the reader has finished creating the buffer.</summary>
    [FieldOffset(OiebSizeOffset)] internal uint OiebSize;
    [FieldOffset(VersionOffset)] internal byte Major;
    [FieldOffset(VersionOffset + 1)] internal byte Minor;
    [FieldOffset(VersionOffset + 2)] internal byte Patch;
    [FieldOffset(VersionOffset + 3)] internal byte Reserved;
    [FieldOffset(MetadataSizeOffset)] internal ulong MetadataSize;
    [FieldOffset(MetadataFreeBytesOffset)] internal ulong MetadataFreeBytes;
    [FieldOffset(MetadataWrittenBytesOffset)] internal ulong MetadataWrittenBytes;
    [FieldOffset(PayloadSizeOffset)] internal ulong PayloadSize;

    /// <summary>Written by both sides, so only through <see cref="Interlocked"/> (signed for Add(-n)).</summary>
    [FieldOffset(PayloadFreeBytesOffset)] internal long PayloadFreeBytes;
    [FieldOffset(PayloadWritePosOffset)] internal ulong PayloadWritePos;
    [FieldOffset(PayloadReadPosOffset)] internal ulong PayloadReadPos;
    [FieldOffset(PayloadWrittenCountOffset)] internal ulong PayloadWrittenCount;
    [FieldOffset(PayloadReadCountOffset)] internal ulong PayloadReadCount;
    [FieldOffset(WriterPidOffset)] internal ulong WriterPid;
    [FieldOffset(ReaderPidOffset)] internal ulong ReaderPid;
}
