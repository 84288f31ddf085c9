using System.Text;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>
/// The Markdown report: per measurement a table with every platform pair side by side (cell: value, ratio to the
/// baseline and the baseline itself), then every row in full (one per metric × combination).
/// </summary>
internal static class BenchMarkdown
{
    public static string Render(IReadOnlyList<BenchRow> rows, DateTimeOffset generated, IReadOnlyList<string> charts)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmark report").AppendLine();
        text.AppendLine($"Run of {generated.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: {rows.Count} measurement(s) from " +
                        $"{rows.Select(r => (r.ScenarioId, r.Pair, r.Mode)).Distinct().Count()} test case(s). Ratio = value ÷ the baseline " +
                        "measured in the same step, on the same machine at the same moment; ↑ higher is better, ↓ lower is better. " +
                        "A pair is the reader's platform, then the writer's (client, server for duplex); ✗ marks a step that failed.");
        text.AppendLine();
        if (rows.Count == 0)
        {
            text.AppendLine("No step returned a benchmark measurement (run `@benchmark` scenarios: `--bench` or `--tags @benchmark`).");
            return text.ToString();
        }
        foreach (var chart in charts)
        {
            text.AppendLine($"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
        }
        if (charts.Count > 0)
        {
            text.AppendLine();
        }
        var columns = rows.Select(r => (r.Pair, r.Mode)).Distinct().Order().ToList();
        var severalModes = columns.Select(c => c.Mode).Distinct().Count() > 1;
        foreach (var measurement in rows.GroupBy(r => r.Measurement).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            SideBySide(text, measurement.Key, measurement.ToList(), columns, severalModes);
        }
        AllRows(text, rows);
        return text.ToString();
    }

    private static void SideBySide(StringBuilder text, string measurement, List<BenchRow> rows, List<(string Pair, string Mode)> columns, bool severalModes)
    {
        text.AppendLine($"## {measurement}").AppendLine();
        foreach (var scenario in rows.Select(r => (r.ScenarioId, r.Scenario)).Distinct())
        {
            text.AppendLine($"- {Cell(scenario.ScenarioId)}: {Cell(scenario.Scenario)}");
        }
        text.AppendLine();
        var used = columns.Where(c => rows.Any(r => r.Pair == c.Pair && r.Mode == c.Mode)).ToList();
        var headers = used.Select(c => severalModes ? $"{c.Pair} {c.Mode}" : c.Pair);
        text.AppendLine($"| scenario | step | role | frame | metric | {string.Join(" | ", headers)} |");
        text.AppendLine($"|---|---|---|---|---|{string.Concat(used.Select(_ => "---|"))}");
        // Metrics keep the order the step returned them in (p50 before p99, value before cpu_pct).
        var metricOrder = rows.Select(r => r.Metric).Distinct().Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var lines = rows.GroupBy(r => (r.ScenarioId, r.Step, r.Role, r.FrameBytes, r.Metric))
            .OrderBy(g => g.Key.ScenarioId, StringComparer.Ordinal).ThenBy(g => g.Key.Step).ThenBy(g => g.Key.Role, StringComparer.Ordinal)
            .ThenBy(g => g.Key.FrameBytes).ThenBy(g => metricOrder[g.Key.Metric]);
        foreach (var line in lines)
        {
            var cells = used.Select(c => line.FirstOrDefault(r => r.Pair == c.Pair && r.Mode == c.Mode) is { } row ? ValueCell(row) : "–");
            var frame = line.Key.FrameBytes is { } bytes ? BenchFormat.Bytes(bytes) : "";
            var metric = $"{line.Key.Metric} {BenchFormat.Arrow(line.First().Better)}".TrimEnd();
            text.AppendLine($"| {Cell(line.Key.ScenarioId)} | {line.Key.Step} | {line.Key.Role} | {frame} | {metric} | {string.Join(" | ", cells)} |");
        }
        text.AppendLine();
    }

    /// <summary><c>8.1 (0.79× memcpy 10.2)</c>, or the value alone without a baseline.</summary>
    private static string ValueCell(BenchRow row) =>
        BenchFormat.Number(row.Value) + (row.Ratio is { } ratio
            ? $" ({BenchFormat.Ratio(ratio)} {row.BaselineName} {BenchFormat.Number(row.BaselineValue!.Value)})"
            : "") + (row.StepPassed ? "" : " ✗");

    private static void AllRows(StringBuilder text, IReadOnlyList<BenchRow> rows)
    {
        text.AppendLine("## All measurements").AppendLine();
        text.AppendLine("| scenario | step | role | platform | pair | mode | measurement | frame bytes | metric | value | baseline | baseline value | ratio |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(
                $"| {Cell(r.ScenarioId)} | {r.Step} | {r.Role} | {r.Platform} | {r.Pair} | {r.Mode} | {r.Measurement} | {r.FrameBytes} | " +
                $"{r.Metric} {BenchFormat.Arrow(r.Better)} | {BenchFormat.Number(r.Value)} | {r.BaselineName ?? ""} | " +
                $"{(r.BaselineValue is { } b ? BenchFormat.Number(b) : "")} | {(r.Ratio is { } ratio ? BenchFormat.Ratio(ratio) : "")} |");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
