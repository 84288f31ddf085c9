using System.Diagnostics;

namespace ZeroBuffer.Tool.Bench;

/// <summary>Latency percentiles of one run, in microseconds (nearest-rank method).</summary>
internal readonly record struct LatencySummary(int Samples, double P50, double P99, double P999)
{
    public static LatencySummary FromTimestamps(ReadOnlySpan<long> elapsedTimestampTicks)
    {
        if (elapsedTimestampTicks.IsEmpty)
        {
            throw new ArgumentException("no latency samples", nameof(elapsedTimestampTicks));
        }

        long[] sorted = elapsedTimestampTicks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            Microseconds(Percentile(sorted, 50.0)),
            Microseconds(Percentile(sorted, 99.0)),
            Microseconds(Percentile(sorted, 99.9)));
    }

    public double Get(Percentile percentile) => percentile switch
    {
        Bench.Percentile.P50 => P50,
        Bench.Percentile.P99 => P99,
        Bench.Percentile.P999 => P999,
        _ => throw new ArgumentOutOfRangeException(nameof(percentile)),
    };

    /// <summary>Nearest rank: the smallest sample with at least p% of the samples at or below it.</summary>
    internal static long Percentile(long[] sorted, double percent)
    {
        // Rounded first: 99.9 / 100 * 1000 is 999.0000000000001 in binary floating point.
        int rank = (int)Math.Ceiling(Math.Round(percent / 100.0 * sorted.Length, 6));
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double Microseconds(long timestampTicks) => timestampTicks * 1_000_000.0 / Stopwatch.Frequency;
}

internal enum Percentile
{
    P50,
    P99,
    P999,
}

/// <summary>One throughput run: <see cref="Frames"/> frames of <see cref="FrameBytes"/> in <see cref="Seconds"/>.</summary>
internal readonly record struct ThroughputSample(int FrameBytes, long Frames, double Seconds)
{
    public double FramesPerSecond => Frames / Seconds;

    /// <summary>Payload bytes only (frame headers are not counted), decimal gigabytes.</summary>
    public double GigabytesPerSecond => Frames * (double)FrameBytes / Seconds / 1e9;

    /// <summary>
    /// The two ends of a stream each time their own part. A backlog in the ring when one end starts
    /// its clock (after a scheduling hiccup) makes that end look fast; the slower of the two views
    /// is the rate the pair sustained.
    /// </summary>
    public static ThroughputSample SlowerOf(ThroughputSample a, ThroughputSample b) => a.Seconds >= b.Seconds ? a : b;

    /// <summary>The median run by time; repeating and taking the median damps noise from other load.</summary>
    public static ThroughputSample Median(IReadOnlyList<ThroughputSample> runs)
    {
        ThroughputSample[] ordered = runs.OrderBy(r => r.Seconds / r.Frames).ToArray();
        return ordered[ordered.Length / 2];
    }
}
