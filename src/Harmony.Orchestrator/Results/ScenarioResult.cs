using System.Text.Json;
using Harmony.Orchestrator.Planning;

namespace Harmony.Orchestrator.Results;

internal enum Outcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>Why a scenario failed: the step (if any), what went wrong, and the worker's recent logs.</summary>
internal sealed record StepFailure(
    RoutedStep? Step,
    string Message,
    string? ErrorType,
    IReadOnlyList<string> RecentLogs)
{
    /// <summary>
    /// "step 5 \"And the 'writer' process ...\" (features/x.feature:12)", or "before the first step" when no
    /// step ran. An outline row's failure points at the row's line (the step's line in the outline follows).
    /// </summary>
    public string WhereIn(Features.ScenarioCase scenario)
    {
        if (Step is null)
        {
            return "before the first step (starting workers)";
        }
        var location = Step.Spec.Location;
        var at = scenario.ExampleRowLine is { } row && !Step.Spec.FromBackground
            ? $"{location.File}:{row}, example row; outline step at line {location.Line}"
            : $"{location.File}:{location.Line}";
        return $"step {Step.Number} \"{Step.Spec.Keyword} {Step.Spec.Text}\" ({at})";
    }
}

/// <summary>
/// <c>data.metrics</c> (and the optional <c>data.baseline</c>) one worker returned for a step: numbers whose names
/// carry their unit (WORKER-PROTOCOL.md "Measurements"). A <c>@benchmark</c> step also names what it measured
/// (<c>data.measurement</c>: throughput, latency, ...) and its baseline (<c>data.baselineName</c>: memcpy, ...).
/// </summary>
internal sealed record WorkerMetrics(string Role, string Platform, JsonElement Metrics, JsonElement? Baseline)
{
    public string? Measurement { get; init; }

    public string? BaselineName { get; init; }

    /// <summary>The numbers of <see cref="Metrics"/> (or of the baseline) by name; other kinds of value are left out.</summary>
    public IReadOnlyDictionary<string, double> Numbers(bool baseline = false) =>
        (baseline ? Baseline : Metrics) is { ValueKind: JsonValueKind.Object } element
            ? element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
            : new Dictionary<string, double>();

    /// <summary>Every number as (name, value), baseline ones named <c>baseline.&lt;name&gt;</c>.</summary>
    public IEnumerable<(string Name, string Value)> Values =>
        Numbers(Metrics, "").Concat(Baseline is { } baseline ? Numbers(baseline, "baseline.") : []);

    /// <summary><c>p50_us=12.5 frames_per_s=80000 baseline.p50_us=3.25</c></summary>
    public override string ToString() => string.Join(' ', Values.Select(v => $"{v.Name}={v.Value}"));

    private static IEnumerable<(string, string)> Numbers(JsonElement element, string prefix) =>
        element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Select(p => (prefix + p.Name, p.Value.GetRawText()));
}

/// <summary>How one step of a test case went; steps after a failure are <see cref="Outcome.Skipped"/>.</summary>
internal sealed record StepRecord(RoutedStep Step, Outcome Outcome, TimeSpan Duration, IReadOnlyList<WorkerMetrics> Metrics);

/// <summary>The outcome of one test case.</summary>
internal sealed record ScenarioResult(
    TestCase Case,
    Outcome Outcome,
    TimeSpan Duration,
    string? RunId,
    StepFailure? Failure,
    IReadOnlyList<string> Logs,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<StepRecord> Steps)
{
    /// <summary>When the case started (wall clock), for the Cucumber Messages timeline.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public int StepsPassed => Steps.Count(s => s.Outcome == Outcome.Passed);

    public static ScenarioResult Skipped(TestCase testCase, string reason) =>
        new(testCase, Outcome.Skipped, TimeSpan.Zero, null, null, [], [reason],
            testCase.Routed.Steps.Select(s => new StepRecord(s, Outcome.Skipped, TimeSpan.Zero, [])).ToList());

    public string? SkipReason => Outcome == Outcome.Skipped ? Warnings.FirstOrDefault() : null;
}
