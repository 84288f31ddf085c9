using Cucumber.HtmlFormatter;
using Cucumber.Messages;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting.Bench;
using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Reporting;

/// <summary>The report files a run writes beside the console (Cucumber's <c>--format name:file</c>).</summary>
internal enum ReportFormat
{
    JUnit,
    Message,
    Html,

    /// <summary>The benchmark table (Markdown and JSON) and its SVG charts: <c>--bench-report FILE</c>.</summary>
    Bench,
}

internal sealed record ReportTarget(ReportFormat Format, string Path)
{
    public const string Names = "junit, message (Cucumber Messages NDJSON), html (Cucumber HTML report) or bench (benchmark table and charts)";

    /// <summary>Parses <c>junit:out.xml</c>, <c>message:out.ndjson</c>, <c>html:out.html</c>.</summary>
    /// <exception cref="UsageException">Unknown format or no file.</exception>
    public static ReportTarget Parse(string spec)
    {
        var colon = spec.IndexOf(':');
        var name = colon < 0 ? spec : spec[..colon];
        var path = colon < 0 ? "" : spec[(colon + 1)..];
        ReportFormat? format = name.ToLowerInvariant() switch
        {
            "junit" => ReportFormat.JUnit,
            "message" or "ndjson" => ReportFormat.Message,
            "html" => ReportFormat.Html,
            "bench" => ReportFormat.Bench,
            _ => null,
        };
        if (format is null || path.Length == 0)
        {
            throw new UsageException($"--format needs <name>:<file> with name {Names}, got '{spec}'");
        }
        return new ReportTarget(format.Value, path);
    }

    /// <summary>Checks before the run that the report can be written (a failed write after an hour's run loses it).</summary>
    /// <exception cref="UsageException">The directory cannot be created or the file cannot be opened for writing.</exception>
    public void CheckWritable()
    {
        if (Format == ReportFormat.Bench)
        {
            var bench = BenchReport.For(Path);
            CheckWritable(bench.Markdown, "benchmark report");
            CheckWritable(bench.Json, "benchmark report");
            return;
        }
        CheckWritable(Path, $"{Format.ToString().ToLowerInvariant()} report");
    }

    /// <exception cref="UsageException">The directory cannot be created or the file cannot be opened for writing.</exception>
    public static void CheckWritable(string path, string what)
    {
        var full = System.IO.Path.GetFullPath(path);
        var existed = File.Exists(full);
        try
        {
            if (Directory.Exists(full))
            {
                throw new IOException("it is a directory");
            }
            if (System.IO.Path.GetDirectoryName(full) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }
            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"cannot write the {what} to '{path}': {ex.Message}");
        }
    }

    /// <summary>Writes the report; the Cucumber formats from one list of messages.</summary>
    public async Task WriteAsync(FeatureSet features, IReadOnlyList<ScenarioResult> results, DateTimeOffset started, TimeSpan elapsed)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        switch (Format)
        {
            case ReportFormat.JUnit:
                JUnitWriter.Write(Path, results, elapsed);
                break;
            case ReportFormat.Message:
                using (var stream = File.Create(Path))
                using (var writer = new MessageToNdjsonWriter(stream, MessageJson.Write))
                {
                    foreach (var envelope in CucumberMessages.Build(features, results, started, elapsed))
                    {
                        writer.Write(envelope);
                    }
                }
                break;
            case ReportFormat.Bench:
                BenchReport.For(Path).Write(results, started);
                break;
            case ReportFormat.Html:
                await using (var stream = File.Create(Path))
                await using (var writer = new MessagesToHtmlWriter(stream, MessageJson.WriteAsync, new HtmlReportSettings { Title = "Harmony" }))
                {
                    foreach (var envelope in CucumberMessages.Build(features, results, started, elapsed))
                    {
                        await writer.WriteAsync(envelope).ConfigureAwait(false);
                    }
                }
                break;
        }
    }

    public string Describe() => Format switch
    {
        ReportFormat.JUnit => $"JUnit XML written to {Path}",
        ReportFormat.Message => $"Cucumber Messages written to {Path}",
        ReportFormat.Bench => $"benchmark report written to {BenchReport.For(Path).Markdown} and {BenchReport.For(Path).Json} (charts beside them)",
        _ => $"Cucumber HTML report written to {Path}",
    };
}
