namespace Harmony.Scenarios;

/// <summary>
/// What a run of this project reads from its environment. <c>dotnet test -e NAME=value</c> and a .runsettings file's
/// <c>RunConfiguration/EnvironmentVariables</c> both set these for the test host (README "Running scenarios").
/// </summary>
internal static class HarmonySettings
{
    /// <summary>Tags that cost time or privileges: listed, but skipped unless enabled (the orchestrator's own list).</summary>
    public static IReadOnlyList<string> CostlyTags => Harmony.Orchestrator.Planning.CostlyTags.All;

    /// <summary><c>HARMONY_CONFIG</c>: the harmony.json to plan and run (default: the repository's).</summary>
    public static string ConfigPath =>
        Environment.GetEnvironmentVariable("HARMONY_CONFIG") is { Length: > 0 } path ? Path.GetFullPath(path) : RepositoryConfig;

    /// <summary><c>HARMONY_DEBUG=&lt;role&gt;</c>: that role's worker waits for a debugger, as <c>--debug</c>.</summary>
    public static string? DebugRole => Environment.GetEnvironmentVariable("HARMONY_DEBUG") is { Length: > 0 } role ? role : null;

    /// <summary>
    /// <c>HARMONY_ENABLE_TAGS</c>: costly tags to run, separated by commas or spaces, '@' optional (<c>stress,long</c>),
    /// or <c>all</c>.
    /// </summary>
    public static IReadOnlySet<string> EnabledTags => ParseTags(Environment.GetEnvironmentVariable("HARMONY_ENABLE_TAGS"));

    public static IReadOnlySet<string> ParseTags(string? value) =>
        (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Equals("all", StringComparison.OrdinalIgnoreCase) ? "all" : t.StartsWith('@') ? t : "@" + t)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The repository root: this project lives at tests/Harmony.Scenarios, wherever its output goes.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string RepositoryConfig => Path.Combine(RepositoryRoot, "harmony.json");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "harmony.json")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("repository root (harmony.json) not found above " + SourcePath());
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
