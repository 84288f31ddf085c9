namespace ZeroBuffer.Tool.Bench.Reporting;

/// <summary>
/// One row of the report. <see cref="Ratio"/> is always "times better than the baseline":
/// value / baseline for throughput, baseline / value for latency.
/// </summary>
internal sealed record BenchResult(
    string Measure,
    int FrameBytes,
    double Value,
    string Unit,
    string Baseline,
    double BaselineValue,
    double Ratio)
{
    public const string Throughput = "throughput";
    public const string RoundTrip = "roundtrip";
    public const string DuplexRoundTrip = "duplex-roundtrip";
    public const string DuplexThreadPool = "duplex-threadpool";

    public static BenchResult HigherIsBetter(string measure, int frameBytes, double value, string unit, string baseline, double baselineValue) =>
        new(measure, frameBytes, value, unit, baseline, baselineValue, value / baselineValue);

    public static BenchResult LowerIsBetter(string measure, int frameBytes, double value, string unit, string baseline, double baselineValue) =>
        new(measure, frameBytes, value, unit, baseline, baselineValue, baselineValue / value);
}
