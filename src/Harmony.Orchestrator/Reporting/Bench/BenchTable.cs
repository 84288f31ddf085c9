using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>Which way a metric improves, read from its unit suffix (WORKER-PROTOCOL.md "Measurements").</summary>
internal enum Better
{
    Unknown,
    Higher,
    Lower,
}

/// <summary>
/// One number a <c>@benchmark</c> step measured, in one combination: the report's row. <see cref="Ratio"/> is
/// always value / baseline value (BENCH-CONTRACT.md); <see cref="Better"/> says whether more is better.
/// </summary>
internal sealed record BenchRow(
    string ScenarioId,
    string Scenario,
    int Step,
    string StepText,
    string Role,
    string Platform,
    string Pair,
    string Mode,
    string Measurement,
    long? FrameBytes,
    string Metric,
    double Value,
    string? BaselineName,
    double? BaselineValue,
    bool StepPassed)
{
    public double? Ratio => BaselineValue is { } baseline && baseline != 0 ? Value / baseline : null;

    public Better Better => BenchTable.BetterOf(Metric);
}

/// <summary>Builds the rows from a run's results: every metric of every step that is a benchmark measurement.</summary>
internal static class BenchTable
{
    public const string FrameBytes = "frame_bytes";

    /// <summary>A measurement without <c>data.measurement</c> (a <c>@benchmark</c> step of an older worker).</summary>
    public const string Unnamed = "unnamed";

    private static readonly string[] HigherSuffixes = ["_per_s", "_hz"];
    private static readonly string[] LowerSuffixes = ["_us", "_ns", "_ms", "_pct"];

    /// <summary>The rows by scenario, pair and mode (a parallel run completes in any order); steps and metrics in run order.</summary>
    public static IReadOnlyList<BenchRow> From(IEnumerable<ScenarioResult> results) =>
        results.SelectMany(RowsOf).OrderBy(r => r.ScenarioId, StringComparer.Ordinal).ThenBy(r => r.Pair, StringComparer.Ordinal)
            .ThenBy(r => r.Mode, StringComparer.Ordinal).ToList();

    private static IEnumerable<BenchRow> RowsOf(ScenarioResult result)
    {
        var testCase = result.Case;
        var scenario = testCase.Routed.Scenario;
        var benchmark = scenario.HasTag("@benchmark");
        foreach (var step in result.Steps)
        {
            foreach (var worker in step.Metrics.Where(m => benchmark || m.Measurement is not null))
            {
                var metrics = worker.Numbers();
                var baseline = worker.Numbers(baseline: true);
                long? frame = metrics.TryGetValue(FrameBytes, out var bytes) ? (long)bytes
                    : baseline.TryGetValue(FrameBytes, out var baseBytes) ? (long)baseBytes : null;
                foreach (var (metric, value) in metrics.Where(m => m.Key != FrameBytes))
                {
                    var baselineValue = BaselineFor(metric, metrics, baseline);
                    yield return new BenchRow(
                        scenario.Id ?? scenario.Key, scenario.Name, step.Step.Number, step.Step.Spec.Text, worker.Role, worker.Platform,
                        testCase.Combination.Name, testCase.Mode.Name(), worker.Measurement ?? Unnamed, frame, metric, value,
                        baselineValue is null ? null : worker.BaselineName ?? "baseline", baselineValue, step.Outcome == Outcome.Passed);
                }
            }
        }
    }

    /// <summary>
    /// The baseline number a metric compares with: the same name; when the baseline shares no name with the
    /// metrics, the only baseline number of the same unit (<c>ns_per_barrier</c> against <c>ns_per_op</c>).
    /// </summary>
    public static double? BaselineFor(string metric, IReadOnlyDictionary<string, double> metrics, IReadOnlyDictionary<string, double> baseline)
    {
        if (baseline.TryGetValue(metric, out var same))
        {
            return same;
        }
        if (baseline.Keys.Any(k => k != FrameBytes && metrics.ContainsKey(k)))
        {
            return null;
        }
        var unit = UnitOf(metric);
        var candidates = baseline.Where(b => b.Key != FrameBytes && unit is not null && UnitOf(b.Key) == unit).ToList();
        return candidates.Count == 1 ? candidates[0].Value : null;
    }

    public static Better BetterOf(string metric) =>
        HigherSuffixes.Any(s => metric.EndsWith(s, StringComparison.Ordinal)) ? Better.Higher
        : LowerSuffixes.Any(s => metric.EndsWith(s, StringComparison.Ordinal)) || metric.StartsWith("ns_per_", StringComparison.Ordinal) ? Better.Lower
        : Better.Unknown;

    private static string? UnitOf(string metric)
    {
        if (metric.StartsWith("ns_per_", StringComparison.Ordinal))
        {
            return "ns_per";
        }
        return HigherSuffixes.Concat(LowerSuffixes).FirstOrDefault(s => metric.EndsWith(s, StringComparison.Ordinal));
    }
}
