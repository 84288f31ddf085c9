using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harmony.Protocol.Messages;

// The params and results of the worker protocol (WORKER-PROTOCOL.md, "Messages").
// Serialise with ProtocolJson.Options.

public sealed record HealthResult(string Status, string Platform, int Pid, int Protocol, string Version);

public sealed record InitializeParams(
    string Role,
    IReadOnlyList<string> Roles,
    string Platform,
    string Scenario,
    string Feature,
    string RunId,
    string Mode);

public sealed record OkResult(bool Ok);

/// <summary><c>simulateCrash</c> params: the role whose readers and writers are abandoned.</summary>
public sealed record SimulateCrashParams(string Role);

/// <param name="Accepts">The multiline argument the definition takes (<see cref="StepArgumentKinds"/>); null when the worker does not say.</param>
public sealed record StepInfo(
    string Type,
    string Pattern,
    string Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Accepts = null);

public sealed record DiscoverResult(IReadOnlyList<StepInfo> Steps);

public sealed record ExecuteStepParams(
    string Process,
    [property: JsonConverter(typeof(StepTypeJsonConverter))] string StepType,
    string Keyword,
    string Step,
    StepArgument? Argument,
    bool IsBroadcast,
    int TimeoutMs,
    string StepId);

/// <summary>A step's data table or doc string; at most one is set.</summary>
public sealed record StepArgument(DataTableArgument? Table, DocStringArgument? DocString);

public sealed record DataTableArgument(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

public sealed record DocStringArgument(string Content, string? MediaType);

/// <summary>
/// An <c>executeStep</c> result. <see cref="Data"/> is always an object, written <c>{}</c> when the
/// step has nothing to report: a null given to the constructor (or read from the wire) becomes empty.
/// </summary>
public sealed record StepResult(
    bool Success,
    string? Error,
    string? ErrorType,
    IReadOnlyDictionary<string, JsonElement>? Data,
    [property: JsonPropertyOrder(1)] IReadOnlyList<LogEntry> Logs,
    [property: JsonPropertyOrder(1)] double DurationMs)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoData = new Dictionary<string, JsonElement>(0);

    // Declared here so it can never be null; the order keeps it before logs on the wire, as the spec shows it.
    public IReadOnlyDictionary<string, JsonElement> Data { get; init; } = Data ?? NoData;
}

public sealed record LogEntry(DateTimeOffset Timestamp, string Level, string Message);

public sealed record CleanupResult(bool Ok, IReadOnlyList<string> Released);
