using ZeroBuffer.Serve.StepDefinitions.Support.Bench;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>The figures of the benchmark steps (STEPS.md "Benchmarks"): nearest-rank percentiles, rates, degradation.</summary>
public sealed class BenchmarkStatsTests
{
    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(99, 99)]
    [InlineData(99.9, 100)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void Percentiles_are_nearest_rank(double p, double expected)
    {
        double[] sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(expected, BenchStats.Percentile(sorted, p));
    }

    [Fact]
    public void A_percentile_of_nothing_or_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BenchStats.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStats.Percentile([1.0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStats.Percentile([1.0], 100.1));
    }

    [Fact]
    public void Latency_figures_are_microseconds_with_the_prefix_on_time_names_only()
    {
        Dictionary<string, double> plain = BenchStats.Latency([3000, 1000, 2000, 4000]);
        Assert.Equal(4, plain["iterations"]);
        Assert.Equal(1, plain["min_us"]);
        Assert.Equal(4, plain["max_us"]);
        Assert.Equal(2.5, plain["mean_us"]);
        Assert.Equal(2, plain["p50_us"]);
        Assert.Equal(4, plain["p999_us"]);

        Dictionary<string, double> prefixed = BenchStats.Latency([1500], "roundtrip_");
        Assert.Equal(["roundtrip_max_us", "roundtrip_mean_us", "roundtrip_min_us", "roundtrip_p50_us", "roundtrip_p90_us", "roundtrip_p999_us", "roundtrip_p99_us"], prefixed.Keys.Order());
        Assert.Equal(1.5, prefixed["roundtrip_p50_us"]);
    }

    [Fact]
    public void Rates_are_per_second_in_decimal_gigabytes()
    {
        Dictionary<string, double> rate = BenchStats.Rate(1000, 1_000_000, 2.0);
        Assert.Equal(500, rate["frames_per_s"]);
        Assert.Equal(0.5, rate["gb_per_s"]);
        Assert.Equal(1_000_000, rate["frame_bytes"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStats.Rate(1, 1, 0));
    }

    [Fact]
    public void Degradation_needs_a_whole_window_above_80_percent_and_recovery_a_whole_window_at_or_below()
    {
        var detector = new DegradationDetector(windowNs: 100);
        detector.Sample(0, 0.9);
        detector.Sample(50, 0.5); // a dip restarts the window
        detector.Sample(60, 0.85);
        detector.Sample(150, 0.95);
        Assert.Null(detector.DegradedAt);
        detector.Sample(160, 1.0);
        Assert.Equal(160, detector.DegradedAt);

        detector.Sample(200, 0.8); // at 80 % counts as recovering
        detector.Sample(250, 0.81);
        detector.Sample(260, 0.1);
        detector.Sample(359, 0.1);
        Assert.Null(detector.RecoveredAt);
        detector.Sample(360, 0.2);
        Assert.Equal(360, detector.RecoveredAt);
        Assert.Equal(1.0, detector.MaxUtilization);
    }

    [Fact]
    public void Utilization_is_the_share_of_the_payload_not_free()
    {
        Assert.Equal(0.75, DegradationDetector.Utilization(freeBytes: 256, payloadSize: 1024));
    }

    [Fact]
    public void Process_cpu_time_advances_with_work()
    {
        var meter = CpuMeter.Start();
        long spin = BenchClock.NowNs() + 20_000_000;
        while (BenchClock.NowNs() < spin)
        {
        }

        Assert.True(meter.CpuPercent() > 0, "20 ms of spinning used no CPU time");
    }
}
