using System.Diagnostics;
using ZeroBuffer.Tool.Bench;
using ZeroBuffer.Tool.Bench.Reporting;

namespace ZeroBuffer.Tool.Tests.Bench;

public sealed class StatisticsTests
{
    [Fact]
    public void PercentilesUseNearestRank()
    {
        long[] sorted = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();

        Assert.Equal(500, LatencySummary.Percentile(sorted, 50));
        Assert.Equal(990, LatencySummary.Percentile(sorted, 99));
        Assert.Equal(999, LatencySummary.Percentile(sorted, 99.9));
        Assert.Equal(1, LatencySummary.Percentile([1L], 99.9));
    }

    [Fact]
    public void SummaryConvertsTimestampTicksToMicroseconds()
    {
        long microsecond = Stopwatch.Frequency / 1_000_000;
        long[] samples = Enumerable.Range(1, 100).Reverse().Select(i => i * 10 * microsecond).ToArray();

        LatencySummary summary = LatencySummary.FromTimestamps(samples);

        Assert.Equal(100, summary.Samples);
        Assert.Equal(500, summary.P50, 3);
        Assert.Equal(990, summary.P99, 3);
        Assert.Equal(1000, summary.P999, 3);
    }

    [Fact]
    public void ThroughputCountsPayloadBytesInDecimalGigabytes()
    {
        var sample = new ThroughputSample(FrameBytes: 1_000_000, Frames: 2_000, Seconds: 0.5);

        Assert.Equal(4_000, sample.FramesPerSecond);
        Assert.Equal(4.0, sample.GigabytesPerSecond, 9);
    }

    [Fact]
    public void MedianPicksTheMiddleRunByTimePerFrame()
    {
        ThroughputSample median = ThroughputSample.Median(
        [
            new(1024, 100, 3.0),
            new(1024, 100, 1.0),
            new(1024, 100, 2.0),
        ]);

        Assert.Equal(2.0, median.Seconds);
    }

    [Fact]
    public void AStreamRunsAtTheRateOfItsSlowerEnd()
    {
        var reader = new ThroughputSample(1024, 1000, 0.5);
        var writer = new ThroughputSample(1024, 1000, 0.8);

        Assert.Equal(0.8, ThroughputSample.SlowerOf(reader, writer).Seconds);
        Assert.Equal(0.8, ThroughputSample.SlowerOf(writer, reader).Seconds);
    }

    [Fact]
    public void RatiosAreAlwaysTimesBetterThanTheBaseline()
    {
        BenchResult faster = BenchResult.HigherIsBetter("throughput", 1024, 300, "GB/s", "memcpy", 100);
        BenchResult quicker = BenchResult.LowerIsBetter("roundtrip", 64, 5, "us p50", "sem-pingpong", 10);

        Assert.Equal(3, faster.Ratio);
        Assert.Equal(2, quicker.Ratio);
    }

    [Fact]
    public void TargetsReadTheRightRows()
    {
        BenchResult[] results =
        [
            BenchResult.HigherIsBetter("throughput", 1024, 900_000, "frames/s", "memcpy", 9_000_000),
            BenchResult.HigherIsBetter("throughput", 1048576, 5, "GB/s", "memcpy", 10),
            BenchResult.HigherIsBetter("throughput", 65536, 9, "GB/s", "unix-socket", 2),
            BenchResult.LowerIsBetter("roundtrip", 64, 16, "us p50", "sem-pingpong", 10),
        ];

        Dictionary<string, bool> met = Targets.Evaluate(results).ToDictionary(t => t.Description, t => t.Met);

        Assert.True(met["1 KiB frames >= 800,000 frames/s"]);
        Assert.False(met["1 MiB frames >= 60% of memcpy"]);
        Assert.True(met["64 KiB frames >= 3x the unix socket"]);
        Assert.False(met["64 B round trip p50 <= 1.5x the semaphore ping-pong"]);
    }
}
