using System.Text.Json;
using ZeroBuffer.Tool.Tests.Support;

namespace ZeroBuffer.Tool.Tests;

/// <summary>
/// `bench --quick --json` runs every measure and baseline in separate processes and writes a
/// well-formed report. Checks shape and sanity only: timings on a shared machine are not asserted.
/// </summary>
public sealed class BenchSmokeTests : CrossProcessTest
{
    private static readonly int[] ThroughputSizes = [1024, 65536, 1048576, 8388608];
    private static readonly int[] RoundTripSizes = [64, 4096, 1048576];

    [Fact]
    public void QuickBenchWritesEveryMeasureAsJson()
    {
        string json = Path.Combine(Path.GetTempPath(), $"{Some.BufferName()}-bench.json");
        try
        {
            ToolProcess bench = Start("bench", "--quick", "--json", json);
            ExpectCleanup($"zb-bench-{bench.Id}-");
            ToolResult result = bench.WaitForExit(TimeSpan.FromSeconds(60));
            result.AssertSuccess();
            Assert.Contains(result.Stdout, line => line.StartsWith("measure", StringComparison.Ordinal) && line.Contains("ratio"));

            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(JsonValueKind.Array, report.RootElement.ValueKind);
            var rows = report.RootElement.EnumerateArray().Select(Row.From).ToList();

            foreach (int size in ThroughputSizes)
            {
                AssertHas(rows, "throughput", size, "memcpy");
                AssertHas(rows, "throughput", size, "unix-socket");
            }

            foreach (int size in RoundTripSizes)
            {
                AssertHas(rows, "roundtrip", size, "sem-pingpong");
                AssertHas(rows, "roundtrip", size, "unix-socket");
                AssertHas(rows, "duplex-roundtrip", size, "zb-roundtrip");
                AssertHas(rows, "duplex-roundtrip", size, "unix-socket");
            }

            AssertHas(rows, "duplex-threadpool", 64, "single-thread");

            foreach (Row row in rows)
            {
                Assert.Contains(row.Measure, new[] { "throughput", "roundtrip", "duplex-roundtrip", "duplex-threadpool" });
                Assert.False(string.IsNullOrWhiteSpace(row.Unit));
                Assert.True(row.Value > 0 && double.IsFinite(row.Value), $"value of {row}");
                Assert.True(row.BaselineValue > 0 && double.IsFinite(row.BaselineValue), $"baseline value of {row}");
                Assert.True(row.Ratio > 0 && double.IsFinite(row.Ratio), $"ratio of {row}");
                bool higherIsBetter = row.Measure is "throughput" or "duplex-threadpool";
                double expected = higherIsBetter ? row.Value / row.BaselineValue : row.BaselineValue / row.Value;
                Assert.True(Math.Abs(row.Ratio - expected) <= 0.01 * expected, $"ratio direction of {row}");
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static void AssertHas(List<Row> rows, string measure, int size, string baseline) =>
        Assert.True(
            rows.Any(r => r.Measure == measure && r.FrameBytes == size && r.Baseline == baseline),
            $"no {measure} row for {size} bytes against {baseline}");

    private sealed record Row(string Measure, int FrameBytes, double Value, string Unit, string Baseline, double BaselineValue, double Ratio)
    {
        public static Row From(JsonElement e) => new(
            e.GetProperty("measure").GetString()!,
            e.GetProperty("frameBytes").GetInt32(),
            e.GetProperty("value").GetDouble(),
            e.GetProperty("unit").GetString()!,
            e.GetProperty("baseline").GetString()!,
            e.GetProperty("baselineValue").GetDouble(),
            e.GetProperty("ratio").GetDouble());
    }
}
