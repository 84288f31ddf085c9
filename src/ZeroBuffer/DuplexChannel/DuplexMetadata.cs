using System.Buffers.Binary;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The 16-byte record a correlated server writes into the <c>_response</c> metadata before its first
/// response (PROTOCOL.md §8): ASCII "ZBDUPLEX", u32 LE version = 1, u32 LE flags (bit 0 = correlated).
/// </summary>
public static class DuplexMetadata
{
    /// <summary>Record length in bytes.</summary>
    public const int Size = 16;

    /// <summary>The record version this library writes and understands.</summary>
    public const uint Version = 1;

    /// <summary>Flag bit 0: every response payload starts with the u64 LE request sequence.</summary>
    public const uint CorrelatedFlag = 1;

    /// <summary>Bytes of the request-sequence prefix of a correlated response.</summary>
    public const int SequencePrefixSize = sizeof(ulong);

    private static ReadOnlySpan<byte> Magic => "ZBDUPLEX"u8;

    /// <summary>Writes the record for a channel that is (or is not) correlated.</summary>
    public static void Write(Span<byte> destination, bool correlated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], correlated ? CorrelatedFlag : 0);
    }

    /// <summary>
    /// True when <paramref name="metadata"/> is a duplex record with the correlated flag. Anything else
    /// (no metadata, another application's metadata, an unknown version) means an in-order channel.
    /// </summary>
    public static bool IsCorrelated(ReadOnlySpan<byte> metadata) =>
        metadata.Length >= Size
        && metadata[..8].SequenceEqual(Magic)
        && BinaryPrimitives.ReadUInt32LittleEndian(metadata[8..]) == Version
        && (BinaryPrimitives.ReadUInt32LittleEndian(metadata[12..]) & CorrelatedFlag) != 0;
}
