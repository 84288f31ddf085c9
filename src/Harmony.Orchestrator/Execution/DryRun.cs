using System.Text.RegularExpressions;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Workers;
using Harmony.Protocol.Messages;

namespace Harmony.Orchestrator.Execution;

/// <summary>A step text that matches no pattern, or several, on one platform.</summary>
internal sealed record StepProblem(string Platform, string Kind, string StepText, IReadOnlyList<string> Locations, IReadOnlyList<string> Candidates);

/// <summary>
/// <c>--dry-run</c>: nothing executes. Asks each platform's worker for its step patterns (<c>discover</c>)
/// and matches every routed step of the plan against them (anchored, full match, whatever the keyword).
/// </summary>
internal static partial class DryRun
{
    [GeneratedRegex(@"\(\?P<")]
    private static partial Regex PythonNamedGroup();

    [GeneratedRegex(@"\(\?P=(?<name>\w+)\)")]
    private static partial Regex PythonBackReference();

    public static async Task<(IReadOnlyList<StepProblem> Problems, IReadOnlyDictionary<string, int> PatternCounts)> CheckAsync(
        IReadOnlyList<TestCase> cases, WorkerPool pool, TimeSpan deadline, CancellationToken ct)
    {
        var platforms = cases.SelectMany(c => c.Combination.Platforms).Distinct(StringComparer.Ordinal).ToList();
        var patterns = new Dictionary<string, IReadOnlyList<(StepInfo Info, Regex? Regex)>>(StringComparer.Ordinal);
        var problems = new List<StepProblem>();
        foreach (var platform in platforms)
        {
            var worker = await pool.AcquireAsync(platform, debugging: false, fresh: false, ct).ConfigureAwait(false);
            var discovered = await worker.DiscoverAsync(deadline, ct).ConfigureAwait(false);
            pool.Release(worker);
            var compiled = new List<(StepInfo, Regex?)>();
            foreach (var info in discovered.Steps ?? [])
            {
                var regex = Compile(info.Pattern);
                if (regex is null)
                {
                    problems.Add(new StepProblem(platform, "invalid pattern", info.Pattern, [info.Source], []));
                }
                compiled.Add((info, regex));
            }
            patterns[platform] = compiled;
        }

        // platform -> step text -> locations
        var uses = new Dictionary<(string Platform, string Text), SortedSet<string>>();
        // A case skipped only for a costly tag is checked too: its steps must be defined when the tag is turned on.
        foreach (var testCase in cases.Where(c => c.SkipReason is null || CostlyTags.IsCostlySkip(c.SkipReason)))
        {
            foreach (var step in testCase.Routed.Steps)
            {
                IEnumerable<string> targets = step.Action switch
                {
                    SendToRole send => [testCase.Combination.PlatformOf(send.Role)],
                    SendToAll => testCase.Routed.Roles.Select(testCase.Combination.PlatformOf),
                    _ => [],
                };
                foreach (var platform in targets.Distinct(StringComparer.Ordinal))
                {
                    var key = (platform, step.Spec.Text);
                    if (!uses.TryGetValue(key, out var locations))
                    {
                        uses[key] = locations = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    locations.Add($"{step.Spec.Location.File}:{step.Spec.Location.Line}");
                }
            }
        }
        foreach (var ((platform, text), locations) in uses.OrderBy(u => u.Key.Platform).ThenBy(u => u.Key.Text, StringComparer.Ordinal))
        {
            var matches = patterns[platform].Where(p => p.Regex?.IsMatch(text) == true).Select(p => $"{p.Info.Pattern} ({p.Info.Source})").ToList();
            if (matches.Count == 0)
            {
                problems.Add(new StepProblem(platform, "undefined", text, locations.ToList(), []));
            }
            else if (matches.Count > 1)
            {
                problems.Add(new StepProblem(platform, "ambiguous", text, locations.ToList(), matches));
            }
        }
        return (problems, patterns.ToDictionary(p => p.Key, p => p.Value.Count));
    }

    /// <summary>Anchored full-match regex of a worker pattern (Python's (?P&lt;name&gt;) syntax accepted).</summary>
    public static Regex? Compile(string pattern)
    {
        var dotnet = PythonBackReference().Replace(PythonNamedGroup().Replace(pattern, "(?<"), @"\k<${name}>");
        try
        {
            return new Regex($"^(?:{dotnet})$", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
