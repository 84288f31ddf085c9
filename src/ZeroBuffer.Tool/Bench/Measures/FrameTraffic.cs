using System.Buffers.Binary;
using ZeroBuffer.Tool.Pattern;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Frames on a byte stream (the socket baselines) use the ZeroBuffer frame header: u64 payload size,
/// u64 sequence, little-endian, then the payload. So both transports carry the same bytes.
/// </summary>
internal static class FrameTraffic
{
    public const int HeaderBytes = 16;

    /// <summary>
    /// What every bench consumer does with a frame, whatever the transport: check size and sequence
    /// and the pattern at both ends of the payload. Streaming through the whole payload would add the
    /// same work to every transport and hide what the transport itself costs; full-payload checking
    /// is what <c>zerobuffer read</c> does.
    /// </summary>
    public static FrameChecker ConsumerCheck() => new(everyByte: false);

    public static void WriteHeader(Span<byte> destination, int payloadBytes, ulong sequence)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)payloadBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], sequence);
    }

    public static (ulong PayloadBytes, ulong Sequence) ReadHeader(ReadOnlySpan<byte> source) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(source), BinaryPrimitives.ReadUInt64LittleEndian(source[8..]));
}
