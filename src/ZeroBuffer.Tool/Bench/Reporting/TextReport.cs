using System.Globalization;

namespace ZeroBuffer.Tool.Bench.Reporting;

/// <summary>The human-readable table and the target check printed after a run.</summary>
internal static class TextReport
{
    private static readonly string[] Header = ["measure", "size", "value", "unit", "baseline", "baseline value", "ratio"];

    public static void WriteTable(TextWriter output, IReadOnlyList<BenchResult> results)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(results.Select(r => new[]
        {
            r.Measure,
            BenchPlan.FormatSize(r.FrameBytes),
            Number(r.Value),
            r.Unit,
            r.Baseline,
            Number(r.BaselineValue),
            r.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x",
        }));

        int[] widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(row => row[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            // Text columns left-aligned, numbers right-aligned.
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 2 or 5 or 6 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }
    }

    public static void WriteTargets(TextWriter output, IReadOnlyList<Target> targets)
    {
        output.WriteLine();
        output.WriteLine("targets:");
        foreach (Target target in targets)
        {
            output.WriteLine($"  [{(target.Met ? "met" : "NOT met")}] {target.Description}: {target.Observed}");
        }
    }

    public static string Number(double value) => value switch
    {
        >= 1e6 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 1000 => value.ToString("#,0.0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };
}

internal sealed record Target(string Description, bool Met, string Observed);
