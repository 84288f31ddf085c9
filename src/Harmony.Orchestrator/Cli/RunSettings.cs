namespace Harmony.Orchestrator.Cli;

/// <summary>The command line of a run, parsed but not yet validated against the config and features.</summary>
internal sealed record RunSettings(
    IReadOnlyList<string> Positionals,
    string ConfigPath,
    string Mode,
    string? Tags,
    int Parallel,
    string? Shard,
    int? StepTimeoutMs,
    string? JUnitPath,
    bool DryRun,
    string? DebugRole,
    bool Verbose,
    bool List);
