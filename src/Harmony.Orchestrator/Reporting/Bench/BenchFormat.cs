using System.Globalization;
using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>How the report and the console print numbers, frame sizes and ratios.</summary>
internal static class BenchFormat
{
    /// <summary>Three significant digits, no exponent, no thousands separator: 80000, 8.12, 0.0451.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 || magnitude == 0 ? "0" : magnitude >= 10 ? "0.#" : magnitude >= 1 ? "0.##" : "0.###";
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text == "0" && value != 0 ? value.ToString("G2", CultureInfo.InvariantCulture) : text;
    }

    public static string Ratio(double ratio) => Number(ratio) + "×";

    /// <summary>64 B, 4 KiB, 1 MiB (exact powers only; other sizes in bytes).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };

    public static string Arrow(Better better) => better switch
    {
        Better.Higher => "↑",
        Better.Lower => "↓",
        _ => "",
    };

    /// <summary>
    /// The console line of one benchmark measurement: <c>throughput 64 KiB [writer/python] step 3: gb_per_s 8.1
    /// (0.79× memcpy 10.2 ↑), cpu_pct 99</c>; the arrow says which way is better.
    /// </summary>
    public static string ConsoleLine(int step, WorkerMetrics worker)
    {
        var metrics = worker.Numbers();
        var baseline = worker.Numbers(baseline: true);
        var size = metrics.TryGetValue(BenchTable.FrameBytes, out var bytes) ? $" {Bytes((long)bytes)}" : "";
        var parts = metrics.Where(m => m.Key != BenchTable.FrameBytes).Select(m =>
        {
            var text = $"{m.Key} {Number(m.Value)}";
            if (BenchTable.BaselineFor(m.Key, metrics, baseline) is { } against && against != 0)
            {
                var arrow = Arrow(BenchTable.BetterOf(m.Key));
                text += $" ({Ratio(m.Value / against)} {worker.BaselineName ?? "baseline"} {Number(against)}{(arrow.Length > 0 ? " " + arrow : "")})";
            }
            return text;
        });
        return $"{worker.Measurement ?? BenchTable.Unnamed}{size} [{worker.Role}/{worker.Platform}] step {step}: {string.Join(", ", parts)}";
    }
}
