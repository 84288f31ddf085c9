using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cucumber.Messages;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Results;
using Io.Cucumber.Messages.Types;
using Outcome = Harmony.Orchestrator.Results.Outcome;
using static Harmony.Orchestrator.Planning.RunModeNames;

namespace Harmony.Orchestrator.Reporting;

/// <summary>
/// A finished run as Cucumber Messages: meta, every feature's source and Gherkin document, then per test case
/// (scenario × combination × mode) its own pickle named <c>Test 1.1 - ... [csharp_python: reader=csharp, writer=python]
/// separate-process</c>, a testCase, its steps started/finished with status and error, the worker logs and
/// <c>data.metrics</c> as attachments, and the run's start and end. The NDJSON and HTML reports both read these.
/// </summary>
internal static class CucumberMessages
{
    private const string HarmonyVersion = "1";

    public static IEnumerable<Envelope> Build(FeatureSet features, IReadOnlyList<ScenarioResult> results, DateTimeOffset started, TimeSpan elapsed)
    {
        yield return Envelope.Create(new Meta(
            ProtocolVersion.Version,
            new Product("harmony", HarmonyVersion),
            new Product(".NET", Environment.Version.ToString()),
            new Product(RuntimeInformation.OSDescription, null),
            new Product(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), null),
            null));
        var documents = features.Documents.SelectMany(d => d.Pickles.Select(p => (p.Id, Document: d)))
            .ToDictionary(p => p.Id, p => p.Document, StringComparer.Ordinal);
        var cases = new List<IdentifiedCase>();
        // One copy of a feature file per combination and mode, its scenarios named after the test cases.
        foreach (var (suite, index) in results
                     .GroupBy(r => (documents[r.Case.Routed.Scenario.PickleId], r.Case.Combination.Name, r.Case.Mode))
                     .Select((g, i) => (g, i)))
        {
            var (document, combination, mode) = suite.Key;
            var copy = new DocumentCopy($"s{index.ToString(CultureInfo.InvariantCulture)}-", suite
                .GroupBy(r => Source(document, r).AstNodeIds[0])
                .ToDictionary(g => g.Key, g => $"{ScenarioName(document, g.Key)} [{g.First().Case.Combination.Label}] {mode.Name()}",
                    StringComparer.Ordinal));
            var uri = $"{document.Source.Uri} [{combination}, {mode.Name()}]";
            yield return Envelope.Create(new Source(uri, document.Source.Data, document.Source.MediaType));
            yield return Envelope.Create(copy.Copy(document.Document, uri));
            foreach (var result in suite)
            {
                var testCase = Identify(result, cases.Count, Source(document, result), copy, uri);
                cases.Add(testCase);
                yield return Envelope.Create(testCase.Pickle);
            }
        }
        const string runId = "run";
        yield return Envelope.Create(new TestRunStarted(Timestamp(started), runId));
        foreach (var testCase in cases)
        {
            yield return Envelope.Create(new TestCase(testCase.Id, testCase.Pickle.Id,
                testCase.StepIds.Select((id, i) => new TestStep(null, id, testCase.Pickle.Steps[i].Id, [], [])).ToList(), runId));
        }
        foreach (var testCase in cases)
        {
            foreach (var envelope in Execution(testCase))
            {
                yield return envelope;
            }
        }
        yield return Envelope.Create(new TestRunFinished(null, results.All(r => r.Outcome != Outcome.Failed),
            Timestamp(started + elapsed), null, runId));
    }

    /// <summary>A test case's ids and its own pickle (the source pickle renamed, with fresh ids).</summary>
    private sealed record IdentifiedCase(ScenarioResult Result, string Id, Pickle Pickle, IReadOnlyList<string> StepIds);

    private static IdentifiedCase Identify(ScenarioResult result, int index, Pickle source, DocumentCopy copy, string uri)
    {
        var prefix = $"tc{index.ToString(CultureInfo.InvariantCulture)}";
        var name = $"{result.Case.DisplayName} {result.Case.Mode.Name()}";
        var steps = source.Steps
            .Select((s, i) => new PickleStep(s.Argument, s.AstNodeIds.Select(copy.Id).ToList(), $"{prefix}-ps{i}", s.Type, s.Text))
            .ToList();
        var tags = source.Tags.Select(t => new PickleTag(t.Name, copy.Id(t.AstNodeId))).ToList();
        var pickle = new Pickle($"{prefix}-pickle", uri, source.Location, name, source.Language, steps, tags,
            source.AstNodeIds.Select(copy.Id).ToList());
        return new IdentifiedCase(result, prefix, pickle, steps.Select((_, i) => $"{prefix}-step{i}").ToList());
    }

    private static Pickle Source(FeatureDocument document, ScenarioResult result) =>
        document.Pickles.First(p => p.Id == result.Case.Routed.Scenario.PickleId);

    private static string ScenarioName(FeatureDocument document, string scenarioId) =>
        document.Document.Feature.Children
            .SelectMany(c => c.Rule is { } rule ? rule.Children.Select(r => r.Scenario) : [c.Scenario])
            .First(s => s?.Id == scenarioId)!.Name;

    private static IEnumerable<Envelope> Execution(IdentifiedCase testCase)
    {
        var result = testCase.Result;
        var startedId = $"{testCase.Id}-started";
        var clock = result.StartedAt;
        yield return Envelope.Create(new TestCaseStarted(0, startedId, testCase.Id, null, Timestamp(clock)));
        var lastRun = result.Steps.ToList().FindLastIndex(s => s.Outcome != Outcome.Skipped);
        for (var i = 0; i < result.Steps.Count; i++)
        {
            var step = result.Steps[i];
            var stepId = testCase.StepIds[i];
            yield return Envelope.Create(new TestStepStarted(startedId, stepId, Timestamp(clock)));
            foreach (var metrics in step.Metrics)
            {
                yield return Attachment(startedId, stepId, clock, "application/json", MetricsJson(metrics),
                    $"metrics-{metrics.Role}-{metrics.Platform}.json");
            }
            clock += step.Duration;
            if (i == Math.Max(lastRun, 0) && Logs(result) is { Length: > 0 } logs)
            {
                yield return Attachment(startedId, stepId, clock, "text/plain", logs, "worker-logs.txt");
            }
            yield return Envelope.Create(new TestStepFinished(startedId, stepId, StepResult(result, step, first: i == 0), Timestamp(clock)));
        }
        yield return Envelope.Create(new TestCaseFinished(startedId, Timestamp(result.StartedAt + result.Duration), false));
    }

    private static TestStepResult StepResult(ScenarioResult result, StepRecord step, bool first)
    {
        var duration = Converters.ToDuration(step.Duration);
        if (step.Outcome == Outcome.Skipped)
        {
            // A skipped case says why once, on its first step.
            return new TestStepResult(duration, first ? result.SkipReason : null, TestStepResultStatus.SKIPPED, null);
        }
        if (step.Outcome == Outcome.Passed || result.Failure is not { } failure)
        {
            return new TestStepResult(duration, null, TestStepResultStatus.PASSED, null);
        }
        var status = failure.ErrorType switch
        {
            "StepNotFound" => TestStepResultStatus.UNDEFINED,
            "AmbiguousStep" => TestStepResultStatus.AMBIGUOUS,
            _ => TestStepResultStatus.FAILED,
        };
        var message = failure.ErrorType is { } type ? $"{failure.Message}\nerrorType: {type}" : failure.Message;
        return new TestStepResult(duration, message, status, new Io.Cucumber.Messages.Types.Exception(failure.ErrorType ?? "Failure", failure.Message, null));
    }

    private static string Logs(ScenarioResult result)
    {
        var text = new StringBuilder();
        foreach (var line in result.Logs.Concat(result.Failure?.RecentLogs ?? []).Distinct().Concat(result.Warnings.Select(w => $"warning: {w}")))
        {
            text.Append(line).Append('\n');
        }
        if (result.RunId is { } runId && text.Length > 0)
        {
            text.Insert(0, $"run id: {runId}\n");
        }
        return text.ToString();
    }

    private static string MetricsJson(WorkerMetrics metrics)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("role", metrics.Role);
            writer.WriteString("platform", metrics.Platform);
            writer.WritePropertyName("metrics");
            metrics.Metrics.WriteTo(writer);
            if (metrics.Baseline is { } baseline)
            {
                writer.WritePropertyName("baseline");
                baseline.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Envelope Attachment(string startedId, string stepId, DateTimeOffset at, string mediaType, string body, string fileName) =>
        Envelope.Create(new Attachment(body, AttachmentContentEncoding.IDENTITY, fileName, mediaType, null, startedId, stepId, null, null, null,
            Timestamp(at)));

    private static Timestamp Timestamp(DateTimeOffset at) => Converters.ToTimestamp(at.UtcDateTime);
}
