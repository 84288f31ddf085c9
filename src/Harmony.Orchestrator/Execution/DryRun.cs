using System.Text.RegularExpressions;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Workers;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Phrases;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// A step text that matches no pattern, or several, on one platform; or whose data table / doc string
/// is not what its one definition takes (<paramref name="Detail"/> says what it got and what it takes).
/// </summary>
/// An undefined step also carries the nearest definitions as Gherkin text (<paramref name="Suggestions"/>)
/// and a ready definition in the platform's language (<paramref name="Snippet"/>).
internal sealed record StepProblem(
    string Platform,
    string Kind,
    string StepText,
    IReadOnlyList<string> Locations,
    IReadOnlyList<string> Candidates,
    string? Detail = null,
    IReadOnlyList<string>? Suggestions = null,
    string? Snippet = null);

/// <summary>
/// <c>--dry-run</c>: nothing executes. Asks each platform's worker for its step patterns (<c>discover</c>)
/// and matches every routed step of the plan against them (anchored, full match, whatever the keyword).
/// Where the worker says what multiline argument a definition takes (<c>accepts</c>), a step whose
/// table or doc string differs is reported too: the worker would refuse it as <c>StepNotFound</c>.
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

        // (platform, step text, argument kind) -> locations
        var uses = new Dictionary<(string Platform, string Text, string Argument), SortedSet<string>>();
        var stepTypes = new Dictionary<(string Platform, string Text), string>();
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
                    var key = (platform, step.Spec.Text, ArgumentKind(step.Spec.Argument));
                    stepTypes.TryAdd((platform, step.Spec.Text), step.StepType);
                    if (!uses.TryGetValue(key, out var locations))
                    {
                        uses[key] = locations = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    locations.Add($"{step.Spec.Location.File}:{step.Spec.Location.Line}");
                }
            }
        }
        var ordered = uses.OrderBy(u => u.Key.Platform, StringComparer.Ordinal)
            .ThenBy(u => u.Key.Text, StringComparer.Ordinal).ThenBy(u => u.Key.Argument, StringComparer.Ordinal);
        var reported = new HashSet<(string, string)>();
        foreach (var ((platform, text, argument), locations) in ordered)
        {
            var matches = patterns[platform].Where(p => p.Regex?.IsMatch(text) == true).ToList();
            if (matches.Count == 1)
            {
                if (matches[0].Info.Accepts is { } accepts && accepts != argument)
                {
                    problems.Add(new StepProblem(platform, "argument mismatch", text, locations.ToList(), [],
                        $"got {Describe(argument)}, but its definition '{matches[0].Info.Pattern}' ({matches[0].Info.Source}) takes {Describe(accepts)}"));
                }
            }
            else if (reported.Add((platform, text)))
            {
                // Undefined and ambiguous do not depend on the argument: one report per text, all its places.
                var places = uses.Where(u => u.Key.Platform == platform && u.Key.Text == text).SelectMany(u => u.Value)
                    .Distinct().Order(StringComparer.Ordinal).ToList();
                problems.Add(matches.Count == 0
                    ? new StepProblem(platform, "undefined", text, places, [],
                        Suggestions: Closest(text, patterns[platform]),
                        Snippet: StepSnippets.For(platform, stepTypes[(platform, text)], text))
                    : new StepProblem(platform, "ambiguous", text, places, matches.Select(p => $"{p.Info.Pattern} ({p.Info.Source})").ToList()));
            }
        }
        return (problems, patterns.ToDictionary(p => p.Key, p => p.Value.Count));
    }

    /// <summary>How many near misses an undefined step lists.</summary>
    private const int SuggestionCount = 3;

    [GeneratedRegex("'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();

    /// <summary>
    /// The valid patterns nearest to <paramref name="text"/>, written as Gherkin text (StepPhrase):
    /// edit distance with every quoted value emptied, so values do not count as differences.
    /// </summary>
    private static List<string> Closest(string text, IReadOnlyList<(StepInfo Info, Regex? Regex)> patterns)
    {
        string bare = QuotedValue().Replace(text, "''");
        return patterns.Where(p => p.Regex is not null)
            .Select(p => (p.Info, Phrase: StepPhrase.Render(p.Info.Pattern, text)))
            .Select(p => (p.Info, p.Phrase, Distance: EditDistance.Between(bare, QuotedValue().Replace(p.Phrase, "''"))))
            .OrderBy(p => p.Distance).ThenBy(p => p.Phrase, StringComparer.Ordinal)
            .Take(SuggestionCount)
            .Select(p => $"\"{p.Phrase}\" ({p.Info.Source})")
            .ToList();
    }

    private static string ArgumentKind(StepArgumentSpec? argument) => argument switch
    {
        DataTableSpec => StepArgumentKinds.Table,
        DocStringSpec => StepArgumentKinds.DocString,
        _ => StepArgumentKinds.None,
    };

    /// <summary>The words the workers use for an argument kind (testdata/steps/argument-mismatch.json).</summary>
    private static string Describe(string kind) => kind switch
    {
        StepArgumentKinds.Table => "a data table",
        StepArgumentKinds.DocString => "a doc string",
        _ => "no data table or doc string",
    };

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
