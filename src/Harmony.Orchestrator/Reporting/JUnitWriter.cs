using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Harmony.Orchestrator.Results;

namespace Harmony.Orchestrator.Reporting;

/// <summary>
/// JUnit XML: one <c>testsuite</c> per combination and mode, one <c>testcase</c> per scenario named
/// <c>Test 1.1 - ... [csharp_python: reader=csharp, writer=python]</c>; failure message = failing step + error;
/// <c>system-out</c> = the scenario's logs; skipped cases carry their reason; a step's <c>data.metrics</c>
/// become <c>properties</c> named <c>step&lt;N&gt;.&lt;role&gt;.&lt;metric&gt;</c>.
/// </summary>
internal static class JUnitWriter
{
    public static XDocument Build(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed)
    {
        var suites = results
            .GroupBy(r => r.Case.SuiteName)
            .Select(group => new XElement("testsuite",
                new XAttribute("name", group.Key),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => r.Outcome == Outcome.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", group.Count(r => r.Outcome == Outcome.Skipped)),
                new XAttribute("time", Seconds(TimeSpan.FromTicks(group.Sum(r => r.Duration.Ticks)))),
                group.Select(TestCase)));
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", "harmony"),
                new XAttribute("tests", results.Count),
                new XAttribute("failures", results.Count(r => r.Outcome == Outcome.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", results.Count(r => r.Outcome == Outcome.Skipped)),
                new XAttribute("time", Seconds(elapsed)),
                suites));
    }

    public static void Write(string path, IReadOnlyList<ScenarioResult> results, TimeSpan elapsed)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var settings = new System.Xml.XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var writer = System.Xml.XmlWriter.Create(path, settings);
        Build(results, elapsed).Save(writer);
    }

    private static XElement TestCase(ScenarioResult result)
    {
        var element = new XElement("testcase",
            new XAttribute("name", result.Case.DisplayName),
            new XAttribute("classname", $"{result.Case.Routed.Scenario.Feature.Stem}.{result.Case.SuiteName}"),
            new XAttribute("time", Seconds(result.Duration)));
        var properties = result.Steps
            .SelectMany(step => step.Metrics.SelectMany(m => m.Values.Select(v => new XElement("property",
                new XAttribute("name", $"step{step.Step.Number}.{m.Role}.{v.Name}"), new XAttribute("value", v.Value)))))
            .ToList();
        if (properties.Count > 0)
        {
            element.Add(new XElement("properties", properties));
        }
        switch (result.Outcome)
        {
            case Outcome.Skipped:
                element.Add(new XElement("skipped", new XAttribute("message", result.SkipReason ?? "skipped")));
                break;
            case Outcome.Failed when result.Failure is { } failure:
                var details = new StringBuilder();
                details.AppendLine(failure.Message);
                if (failure.ErrorType is { } type)
                {
                    details.AppendLine($"errorType: {type}");
                }
                foreach (var line in failure.RecentLogs)
                {
                    details.AppendLine(line);
                }
                element.Add(new XElement("failure",
                    new XAttribute("message", Clean($"{failure.WhereIn(result.Case.Routed.Scenario)}: {failure.Message}")),
                    new XAttribute("type", failure.ErrorType ?? "Failure"),
                    Clean(details.ToString())));
                break;
        }
        var output = result.Logs.Concat(result.Warnings.Select(w => $"warning: {w}")).ToList();
        if (output.Count > 0)
        {
            element.Add(new XElement("system-out", Clean(string.Join('\n', output))));
        }
        return element;
    }

    /// <summary>Worker logs can hold characters XML 1.0 cannot carry; replace them.</summary>
    private static string Clean(string text) =>
        text.All(System.Xml.XmlConvert.IsXmlChar) ? text : new string(text.Select(c => System.Xml.XmlConvert.IsXmlChar(c) ? c : '?').ToArray());

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
