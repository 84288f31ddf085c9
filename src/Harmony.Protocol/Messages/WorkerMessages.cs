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

public sealed record StepInfo(string Type, string Pattern, string Source);

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

public sealed record StepResult(
    bool Success,
    string? Error,
    string? ErrorType,
    IReadOnlyDictionary<string, JsonElement>? Data,
    IReadOnlyList<LogEntry> Logs,
    double DurationMs);

public sealed record LogEntry(DateTimeOffset Timestamp, string Level, string Message);

public sealed record CleanupResult(bool Ok, IReadOnlyList<string> Released);
