using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;

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
    IReadOnlyList<string> Reports,
    bool DryRun,
    string? DebugRole,
    bool Verbose,
    bool List,
    bool AllowEmpty)
{
    public int? DebugTimeoutSeconds { get; init; }

    public IReadOnlyList<string> BreakAt { get; init; } = [];

    public bool StepThrough { get; init; }

    public string? NamePattern { get; init; }

    public string? RerunFile { get; init; }

    public string? RerunFrom { get; init; }

    public bool FailFast { get; init; }

    /// <summary><c>--long</c>, <c>--stress</c>, <c>--bench</c>: turn on <c>@long</c>, <c>@stress</c>, <c>@benchmark</c> scenarios.</summary>
    public bool Long { get; init; }

    public bool Stress { get; init; }

    public bool Bench { get; init; }

    private IReadOnlySet<string> EnabledCostlyTags => CostlyTags.Enabled(Tags, Long, Stress, Bench);

    public bool Pauses => StepThrough || BreakAt.Count > 0;

    /// <exception cref="UsageException">The --rerun-from file cannot be read.</exception>
    public PlanOptions Plan => RerunFrom is { } rerun
        ? new(Positionals, ConfigPath, "both", Tags, Shard) { NamePattern = NamePattern, Rerun = RerunEntry.Read(rerun), EnabledCostlyTags = EnabledCostlyTags }
        : new(Positionals, ConfigPath, Mode, Tags, Shard) { NamePattern = NamePattern, EnabledCostlyTags = EnabledCostlyTags };

    /// <exception cref="UsageException">A <c>--format</c> is not name:file with a known name.</exception>
    public IReadOnlyList<ReportTarget> ReportTargets => Reports.Select(ReportTarget.Parse).ToList();

    /// <exception cref="UsageException">An option outside planning has a bad value.</exception>
    public void Validate()
    {
        if (Parallel < 1)
        {
            throw new UsageException("--parallel must be at least 1");
        }
        if (DebugTimeoutSeconds is <= 0)
        {
            throw new UsageException("--debug-timeout must be a positive number of seconds");
        }
        if (DebugTimeoutSeconds is not null && DebugRole is null)
        {
            throw new UsageException("--debug-timeout needs --debug <role>");
        }
        if (Pauses && Parallel > 1)
        {
            throw new UsageException("--break-at and --step pause one scenario at a time: drop --parallel");
        }
        if (StepTimeoutMs is <= 0)
        {
            throw new UsageException("--step-timeout must be a positive number of milliseconds");
        }
        if (DebugRole is { } debug && debug != "all" && !RoleNames.IsValid(debug))
        {
            throw new UsageException($"--debug needs a role (reader, writer, client, server, optionally suffixed like reader-2), got '{debug}'");
        }
    }
}
