namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>The same-step baselines of STEPS.md "Benchmarks" that need no peer: memcpy and the barrier loops.</summary>
public static class Baselines
{
    /// <summary>How long the memcpy baseline copies (enough for a stable figure, short next to the measurement).</summary>
    public static readonly TimeSpan MemcpyFor = TimeSpan.FromMilliseconds(250);

    /// <summary>Copies a frame-sized array into another for <see cref="MemcpyFor"/>: gb_per_s, frames_per_s (one copy per frame).</summary>
    public static Dictionary<string, double> Memcpy(int frameBytes)
    {
        byte[] source = BenchFrames.Source(frameBytes);
        byte[] target = new byte[frameBytes];
        source.CopyTo(target, 0); // touch every page before timing
        long start = BenchClock.NowNs();
        long end = start + (long)(MemcpyFor.TotalMilliseconds * 1e6);
        long copies = 0;
        long now;
        do
        {
            source.AsSpan().CopyTo(target);
            copies++;
        }
        while ((now = BenchClock.NowNs()) < end);

        return BenchStats.Rate(copies, frameBytes, (now - start) / 1e9);
    }

    private static long _cell;

    /// <summary>
    /// Nanoseconds per iteration of a store, a full fence (Interlocked.MemoryBarrier: mfence / dmb ish) and a
    /// load of a shared cell, and of the same loop without the fence; fails if a load ever misses its store.
    /// </summary>
    public static (double WithBarrierNs, double WithoutNs) Barrier(int operations)
    {
        return (Loop(operations, fence: true), Loop(operations, fence: false));

        static double Loop(int operations, bool fence)
        {
            long start = BenchClock.NowNs();
            for (long i = 1; i <= operations; i++)
            {
                Volatile.Write(ref _cell, i);
                if (fence)
                {
                    Interlocked.MemoryBarrier();
                }

                if (Volatile.Read(ref _cell) != i)
                {
                    throw new InvalidOperationException($"The barrier loop read another value than it stored at operation {i}.");
                }
            }

            return (BenchClock.NowNs() - start) / (double)operations;
        }
    }
}
