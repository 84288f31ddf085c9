using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// Baseline: one copy of each frame's bytes between two native buffers as large as the ring, walking
/// through them as the ring is walked, in this process only. It is the cost of moving the bytes
/// once, with no signalling and no second process - the ceiling for any shared-memory transport.
/// </summary>
internal static unsafe class MemcpyBaseline
{
    public static ThroughputSample Measure(ThroughputCase run, int bufferBytes)
    {
        nuint length = (nuint)bufferBytes;
        byte* source = (byte*)NativeMemory.AlignedAlloc(length, 4096);
        byte* destination = (byte*)NativeMemory.AlignedAlloc(length, 4096);
        try
        {
            // Touch every page first so the timed loop does not count page faults.
            NativeMemory.Fill(source, length, 0x5A);
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

                Buffer.MemoryCopy(source + offset, destination + offset, run.FrameBytes, run.FrameBytes);
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
