using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Reporting.Bench;

/// <summary>
/// The files of <c>--bench-report FILE</c>: FILE names the report with or without <c>.md</c> / <c>.json</c>; both
/// <c>STEM.md</c> and <c>STEM.json</c> are written, and the charts beside them (<c>STEM-throughput.svg</c>,
/// <c>STEM-latency.svg</c>) when the run measured throughput or latency.
/// </summary>
internal sealed record BenchReport(string Stem)
{
    public static BenchReport For(string path)
    {
        var extension = Path.GetExtension(path);
        return new BenchReport(extension is ".md" or ".json" ? path[..^extension.Length] : path);
    }

    public string Markdown => Stem + ".md";

    public string Json => Stem + ".json";

    public string ThroughputChart => Stem + "-throughput.svg";

    public string LatencyChart => Stem + "-latency.svg";

    /// <summary>Writes the report; returns the files written.</summary>
    public IReadOnlyList<string> Write(IReadOnlyList<ScenarioResult> results, DateTimeOffset generated)
    {
        var rows = BenchTable.From(results);
        var written = new List<string>();
        foreach (var (model, path) in new[] { (BenchCharts.Throughput(rows), ThroughputChart), (BenchCharts.Latency(rows), LatencyChart) })
        {
            if (model is not null)
            {
                BenchCharts.WriteSvg(model, path);
                written.Add(path);
            }
            else
            {
                File.Delete(path); // a chart of an earlier run would sit beside a report it does not belong to
            }
        }
        // The Markdown links the charts relative to itself, as they sit beside it.
        File.WriteAllText(Markdown, BenchMarkdown.Render(rows, generated, written.Select(Path.GetFileName).OfType<string>().ToList()));
        using (var stream = File.Create(Json))
        {
            BenchJson.Write(stream, rows, generated);
        }
        return [Markdown, Json, .. written];
    }
}
