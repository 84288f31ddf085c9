using System.Diagnostics;

namespace ZeroBuffer.Tool.Bench.Measures;

/// <summary>
/// The duplex round trip and the plain two-buffer round trip under the same conditions: both echo
/// peers run at once, the bench alternates blocks of round trips between them (so a change of load
/// falls on both kinds alike), and the bench's thread and both peers' serving threads are pinned to
/// two different CPUs (so both kinds get the same placement). Two sub-microsecond figures measured
/// seconds apart with separately started, unpinned peers were not comparable: one could catch the
/// spin-before-sleep window and the other not, even with the blocks alternated. Samples are kept per kind.
/// </summary>
internal static class AlternatingRoundTrip
{
    /// <summary>Recorded round trips are split into this many blocks per kind.</summary>
    internal const int BlocksPerKind = 20;

    /// <summary>
    /// Untimed round trips at the start of each block: the peer that idled during the other kind's
    /// block has gone to sleep, and its first request pays the wake-up, not the channel.
    /// </summary>
    internal const int ReentryIterations = 3;

    public static (LatencySummary Plain, LatencySummary Duplex) Measure(BenchNames names, RoundTripCase run, TimeSpan minimumWarmup)
    {
        // One placement for both kinds: this thread on one CPU, both peers' serving threads on another.
        // (Pinned on a busy machine both kinds still take the spin path; unpinned, either could sleep.)
        (int Bench, int Peer)? cpus = ThreadPin.ChooseCpus();
        int peerCpu = cpus?.Peer ?? -1;
        using ZeroBufferRoundTrip.Client plain = ZeroBufferRoundTrip.Connect(names, run.FrameBytes, count: 0, peerCpu);
        using DuplexRoundTrip.Client duplex = DuplexRoundTrip.Connect(names, run.FrameBytes, peerCpu);
        IRoundTripClient current = plain;

        // Pinned after the peers start: they would inherit it, and their runtime threads (JIT, GC) may run anywhere.
        using ThreadPin? pin = ThreadPin.Pin(cpus?.Bench ?? -1);
        try
        {
            int block = Math.Max(1, run.Iterations / BlocksPerKind);

            // Time-based as well: fresh peers run tier-0 code until the runtime's tier-up (100 ms after
            // start-up JIT activity, then compiled in the background), which a fixed count can finish
            // before. The recorded samples are meant to be the steady state of both kinds.
            long started = Stopwatch.GetTimestamp();
            for (int warmed = 0; warmed < run.WarmupIterations || Stopwatch.GetElapsedTime(started) < minimumWarmup; warmed += block)
            {
                Block(current = plain, block, null, 0);
                Block(current = duplex, block, null, 0);
            }

            long[] plainSamples = new long[run.Iterations];
            long[] duplexSamples = new long[run.Iterations];
            int pair = 0;
            for (int done = 0; done < run.Iterations; done += block, pair++)
            {
                int count = Math.Min(block, run.Iterations - done);

                // P D, D P, P D, ...: each kind follows the other kind and itself equally often.
                bool plainFirst = pair % 2 == 0;
                Block(current = plainFirst ? plain : duplex, count, plainFirst ? plainSamples : duplexSamples, done);
                Block(current = plainFirst ? duplex : plain, count, plainFirst ? duplexSamples : plainSamples, done);
            }

            current = plain;
            plain.Finish();
            current = duplex;
            duplex.Finish();
            return (LatencySummary.FromTimestamps(plainSamples), LatencySummary.FromTimestamps(duplexSamples));
        }
        catch (Exception exception)
        {
            throw current.Explain(exception);
        }
    }

    /// <summary><see cref="ReentryIterations"/> untimed round trips, then <paramref name="count"/> timed into <paramref name="samples"/> (null: untimed).</summary>
    private static void Block(IRoundTripClient client, int count, long[]? samples, int offset)
    {
        for (int i = 0; i < ReentryIterations; i++)
        {
            client.RoundTrip();
        }

        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            client.RoundTrip();
            if (samples is not null)
            {
                samples[offset + i] = Stopwatch.GetTimestamp() - started;
            }
        }
    }
}
