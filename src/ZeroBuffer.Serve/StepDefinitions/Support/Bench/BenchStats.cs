namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// The figures of a benchmark step (WORKER-PROTOCOL.md "Measurements", BENCH-CONTRACT): metric names carry
/// their unit. Percentiles are nearest-rank (the smallest sample with at least p % of the samples at or
/// below it), the same definition in the three workers.
/// </summary>
public static class BenchStats
{
    /// <summary>Nearest-rank percentile of sorted samples; p in (0, 100].</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No samples to take a percentile of.", nameof(sorted));
        }

        if (p <= 0 || p > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile is in (0, 100].");
        }

        int rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>
    /// iterations, min_us, max_us, mean_us, p50_us, p90_us, p99_us, p999_us of latency samples in
    /// nanoseconds (with <paramref name="prefix"/> before each time name, e.g. "roundtrip_").
    /// </summary>
    public static Dictionary<string, double> Latency(IEnumerable<long> nanoseconds, string prefix = "")
    {
        double[] micros = nanoseconds.Select(ns => ns / 1000.0).Order().ToArray();
        if (micros.Length == 0)
        {
            throw new ArgumentException("No latency samples.", nameof(nanoseconds));
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (prefix.Length == 0)
        {
            metrics["iterations"] = micros.Length;
        }

        metrics[prefix + "min_us"] = Round(micros[0]);
        metrics[prefix + "max_us"] = Round(micros[^1]);
        metrics[prefix + "mean_us"] = Round(micros.Average());
        metrics[prefix + "p50_us"] = Round(Percentile(micros, 50));
        metrics[prefix + "p90_us"] = Round(Percentile(micros, 90));
        metrics[prefix + "p99_us"] = Round(Percentile(micros, 99));
        metrics[prefix + "p999_us"] = Round(Percentile(micros, 99.9));
        return metrics;
    }

    /// <summary>frames_per_s and gb_per_s (10^9 bytes) of frames of frameBytes over seconds.</summary>
    public static Dictionary<string, double> Rate(long frames, int frameBytes, double seconds)
    {
        if (seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A rate needs a positive interval.");
        }

        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["frame_bytes"] = frameBytes,
            ["frames"] = frames,
            ["seconds"] = Round(seconds),
            ["frames_per_s"] = Round(frames / seconds),
            ["gb_per_s"] = Round(frames * (double)frameBytes / seconds / 1e9),
        };
    }

    /// <summary>Three decimals: figures, not noise.</summary>
    public static double Round(double value) => Math.Round(value, 3);
}
