using System.Text.RegularExpressions;

namespace Harmony.Orchestrator.Planning;

/// <summary>
/// ORCHESTRATION.md "Tags with a cost are off by default": a scenario with one of these tags is planned but
/// skipped (with the reason) unless the run enables the tag, by naming it in <c>--tags</c> or by its switch
/// (<c>--long</c>, <c>--stress</c>, <c>--bench</c>). tests/Harmony.Scenarios reads the same list.
/// </summary>
internal static partial class CostlyTags
{
    public const string Long = "@long";
    public const string Stress = "@stress";
    public const string Benchmark = "@benchmark";

    public static readonly IReadOnlyList<string> All = [Long, Stress, Benchmark, "@privileged", "@windows"];

    /// <summary>The command-line switch that turns a costly tag on, where there is one.</summary>
    private static readonly Dictionary<string, string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        [Long] = "--long",
        [Stress] = "--stress",
        [Benchmark] = "--bench",
    };

    [GeneratedRegex(@"@[^\s()]+")]
    private static partial Regex TagToken();

    /// <summary>
    /// The costly tags a run enables: those its tag expression names (whatever the operators around them: the
    /// expression itself still decides which scenarios are planned) and those its switches turn on.
    /// </summary>
    public static IReadOnlySet<string> Enabled(string? tagExpression, bool runLong = false, bool stress = false, bool bench = false)
    {
        var enabled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match token in TagToken().Matches(tagExpression ?? ""))
        {
            if (All.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
            {
                enabled.Add(token.Value);
            }
        }
        if (runLong)
        {
            enabled.Add(Long);
        }
        if (stress)
        {
            enabled.Add(Stress);
        }
        if (bench)
        {
            enabled.Add(Benchmark);
        }
        return enabled;
    }

    /// <summary>The costly tags among <paramref name="tags"/> that are not enabled (in list order).</summary>
    public static IReadOnlyList<string> Off(IEnumerable<string> tags, IReadOnlySet<string> enabled)
    {
        var present = tags.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return All.Where(t => present.Contains(t) && !enabled.Contains(t)).ToList();
    }

    /// <summary>Why a scenario with these tags is skipped, or null when every costly tag it has is enabled.</summary>
    public static string? SkipReason(IEnumerable<string> tags, IReadOnlySet<string> enabled)
    {
        var off = Off(tags, enabled);
        if (off.Count == 0)
        {
            return null;
        }
        var how = off.Select(t => Switches.TryGetValue(t, out var flag) ? $"{flag} or --tags {t}" : $"--tags {t}");
        return $"{string.Join(", ", off)} {(off.Count == 1 ? "is" : "are")} off by default: run with {string.Join("; ", how)}";
    }

    /// <summary>Whether a planned skip reason is <see cref="SkipReason"/>'s (the case would run with the tag on).</summary>
    public static bool IsCostlySkip(string? reason) => reason is not null && reason.Contains(" off by default: run with ", StringComparison.Ordinal);
}
