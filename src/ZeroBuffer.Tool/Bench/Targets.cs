using System.Globalization;
using ZeroBuffer.Tool.Bench.Reporting;

namespace ZeroBuffer.Tool.Bench;

/// <summary>The project's performance targets, checked against a run's results (reported, never enforced).</summary>
internal static class Targets
{
    public static IReadOnlyList<Target> Evaluate(IReadOnlyList<BenchResult> results)
    {
        var targets = new List<Target>();

        BenchResult? small = Find(results, BenchResult.Throughput, 1024, Units.FramesPerSecond, Baselines.Memcpy);
        if (small is not null)
        {
            targets.Add(new Target("1 KiB frames >= 800,000 frames/s", small.Value >= 800_000, $"{TextReport.Number(small.Value)} frames/s"));
        }

        BenchResult? large = Find(results, BenchResult.Throughput, BenchPlan.MiB, Units.GigabytesPerSecond, Baselines.Memcpy);
        if (large is not null)
        {
            targets.Add(new Target("1 MiB frames >= 60% of memcpy", large.Ratio >= 0.6, Percent(large.Ratio) + " of memcpy"));
        }

        foreach (BenchResult socket in results.Where(r => r.Measure == BenchResult.Throughput && r.Baseline == Baselines.UnixSocket && r.FrameBytes >= 64 * 1024))
        {
            targets.Add(new Target($"{BenchPlan.FormatSize(socket.FrameBytes)} frames >= 3x the unix socket", socket.Ratio >= 3, $"{socket.Ratio:0.00}x"));
        }

        BenchResult? ping = Find(results, BenchResult.RoundTrip, 64, Units.Latency(Percentile.P50), Baselines.SemaphorePingPong);
        if (ping is not null)
        {
            // ratio = semaphore / zerobuffer, so "<= 1.5x the semaphore" is ratio >= 1/1.5.
            targets.Add(new Target(
                "64 B round trip p50 <= 1.5x the semaphore ping-pong",
                ping.Value <= 1.5 * ping.BaselineValue,
                $"{ping.Value.ToString("0.0", CultureInfo.InvariantCulture)} us vs {ping.BaselineValue.ToString("0.0", CultureInfo.InvariantCulture)} us ({ping.Value / ping.BaselineValue:0.00}x)"));
        }

        BenchResult? duplex = Find(results, BenchResult.DuplexRoundTrip, 64, Units.Latency(Percentile.P50), Baselines.ZeroBufferRoundTrip);
        if (duplex is not null)
        {
            targets.Add(new Target(
                "64 B duplex round trip p50 <= 1.5x the plain two-buffer round trip",
                duplex.Value <= 1.5 * duplex.BaselineValue,
                $"{duplex.Value.ToString("0.0", CultureInfo.InvariantCulture)} us vs {duplex.BaselineValue.ToString("0.0", CultureInfo.InvariantCulture)} us ({duplex.Value / duplex.BaselineValue:0.00}x)"));
        }

        BenchResult? duplexSocket = Find(results, BenchResult.DuplexRoundTrip, 4 * BenchPlan.KiB, Units.Latency(Percentile.P50), Baselines.UnixSocket);
        if (duplexSocket is not null)
        {
            targets.Add(new Target("4 KiB duplex round trip p50 >= 3x faster than the unix-socket echo", duplexSocket.Ratio >= 3, $"{duplexSocket.Ratio:0.00}x"));
        }

        BenchResult? pool = results.FirstOrDefault(r => r.Measure == BenchResult.DuplexThreadPool);
        if (pool is not null)
        {
            targets.Add(new Target("ThreadPool x4 on a 1 ms handler >= 3x the requests/s of SingleThread", pool.Ratio >= 3, $"{pool.Ratio:0.00}x"));
        }

        return targets;
    }

    private static BenchResult? Find(IReadOnlyList<BenchResult> results, string measure, int frameBytes, string unit, string baseline) =>
        results.FirstOrDefault(r => r.Measure == measure && r.FrameBytes == frameBytes && r.Unit == unit && r.Baseline == baseline);

    private static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
