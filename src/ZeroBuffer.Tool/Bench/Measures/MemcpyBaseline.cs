using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: the producer's work alone. Each frame's bytes are copied once with Buffer.MemoryCopy
/// from the same kind of source the producers fill from (a native copy of the pattern table, hot in
/// cache, at offset sequence &amp; 0xFF) into a native destination as large as the ring, walked as the
/// ring is walked. One process, no signalling, no reader: the ceiling for a transport whose producer
/// writes every byte once.
/// </summary>
internal static unsafe class MemcpyBaseline
{
    public static ThroughputSample Measure(ThroughputCase run, int bufferBytes)
    {
        nuint sourceLength = (nuint)run.FrameBytes + 256;
        nuint length = (nuint)bufferBytes;
        byte* source = (byte*)NativeMemory.AlignedAlloc(sourceLength, 4096);
        byte* destination = (byte*)NativeMemory.AlignedAlloc(length, 4096);
        try
        {
            for (nuint i = 0; i < sourceLength; i++)
            {
                source[i] = (byte)i;
            }

            // Touch every destination page first so the timed loop does not count page faults.
            NativeMemory.Clear(destination, length);

            long total = run.WarmupFrames + run.Frames;
            long offset = 0;
            long started = Stopwatch.GetTimestamp();
            for (long i = 0; i < total; i++)
            {
                if (i == run.WarmupFrames)
                {
                    started = Stopwatch.GetTimestamp();
                }

                if (offset + run.FrameBytes > bufferBytes)
                {
                    offset = 0;
                }

                Buffer.MemoryCopy(source + (i & 0xFF), destination + offset, run.FrameBytes, run.FrameBytes);
                offset += run.FrameBytes;
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return new ThroughputSample(run.FrameBytes, run.Frames, seconds);
        }
        finally
        {
            NativeMemory.AlignedFree(source);
            NativeMemory.AlignedFree(destination);
        }
    }
}
