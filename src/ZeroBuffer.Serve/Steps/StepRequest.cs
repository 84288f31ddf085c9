namespace ZeroBuffer.Serve.Steps;

/// <summary>One step to run, independent of how it arrived.</summary>
/// <param name="Timeout">Null: the default step timeout.</param>
public sealed record StepRequest(
    string Text,
    string StepType,
    string Keyword,
    StepTable? Table,
    StepDocString? DocString,
    TimeSpan? Timeout,
    string StepId);

/// <summary>How a step ended. A failure is data, never an exception.</summary>
public sealed record StepOutcome(
    bool Success,
    string? Error,
    string? ErrorType,
    IReadOnlyDictionary<string, object?>? Data,
    TimeSpan Duration)
{
    public static StepOutcome Passed(IReadOnlyDictionary<string, object?>? data, TimeSpan duration) =>
        new(true, null, null, data, duration);

    public static StepOutcome Failed(string errorType, string error, TimeSpan duration, IReadOnlyDictionary<string, object?>? data = null) =>
        new(false, error, errorType, data, duration);
}

/// <summary>Runs steps: the one door from the RPC layer into the registry.</summary>
public interface IStepInvoker
{
    Task<StepOutcome> InvokeAsync(StepRequest request, CancellationToken ct);
}
