using System.Buffers.Binary;

using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// Benchmark frames (STEPS.md "Benchmarks"): the payload is copied in from a prepared source (one memcpy per
/// frame, as a copying write would), then its first 8 bytes are overwritten with the CLOCK_MONOTONIC
/// nanoseconds at which the write started (little-endian). A frame stamped 0 ends a timed stream.
/// </summary>
public static class BenchFrames
{
    public const int StampBytes = 8;

    public static void CheckSize(int size)
    {
        if (size < StampBytes)
        {
            throw new StepAssertionException($"Benchmark frames carry an 8-byte timestamp: size {size} is too small.");
        }
    }

    /// <summary>A source of the frame pattern of sequence 0, copied into every frame.</summary>
    public static byte[] Source(int size)
    {
        var source = new byte[size];
        for (int i = 0; i < size; i++)
        {
            source[i] = (byte)i;
        }

        return source;
    }

    /// <summary>Writes one frame stamped with <paramref name="stamp"/> (taken by the caller at write start).</summary>
    public static void Write(Writer writer, byte[] source, long stamp)
    {
        Span<byte> frame = writer.GetFrameBuffer(source.Length);
        source.CopyTo(frame);
        BinaryPrimitives.WriteInt64LittleEndian(frame, stamp);
        writer.CommitFrame();
    }

    /// <summary>Writes the stream's end: a frame stamped 0.</summary>
    public static void WriteEnd(Writer writer, byte[] source) => Write(writer, source, 0);

    public static long Stamp(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame);
}
