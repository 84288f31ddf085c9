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
    /// <summary>"step 5 \"And the 'writer' process ...\" (features/x.feature:12)", or "setup" when no step ran.</summary>
    public string Where => Step is null
        ? "before the first step (starting workers)"
        : $"step {Step.Number} \"{Step.Spec.Keyword} {Step.Spec.Text}\" ({Step.Spec.Location.File}:{Step.Spec.Location.Line})";
}

/// <summary>The outcome of one test case.</summary>
internal sealed record ScenarioResult(
    TestCase Case,
    Outcome Outcome,
    TimeSpan Duration,
    string? RunId,
    StepFailure? Failure,
    IReadOnlyList<string> Logs,
    IReadOnlyList<string> Warnings,
    int StepsPassed)
{
    public static ScenarioResult Skipped(TestCase testCase, string reason) =>
        new(testCase, Outcome.Skipped, TimeSpan.Zero, null, null, [], [reason], 0);

    public string? SkipReason => Outcome == Outcome.Skipped ? Warnings.FirstOrDefault() : null;
}
