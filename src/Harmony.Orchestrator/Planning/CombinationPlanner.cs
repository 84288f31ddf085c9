namespace Harmony.Orchestrator.Planning;

/// <summary>What to plan: the configured platforms (in config order) and the user's selection.</summary>
internal sealed record PlanRequest(
    IReadOnlyList<string> Platforms,
    PlatformSelection Selection,
    IReadOnlyList<ScenarioFilter> Filters,
    TagExpression? Tags,
    IReadOnlyList<RunMode> Modes)
{
    /// <summary>Costly tags this run turns on (<see cref="CostlyTags.Enabled"/>); scenarios with any other costly tag are skipped.</summary>
    public IReadOnlySet<string> EnabledCostlyTags { get; init; } = new HashSet<string>();
}

/// <summary>
/// Expands routed scenarios into test cases: every platform combination the selection allows × every mode.
/// Same-process mode only runs uniform combinations (mixed ones are not planned) and skips
/// <c>@separate-process</c> scenarios with the reason; a scenario with a costly tag the run did not enable is
/// skipped in every mode (<see cref="CostlyTags"/>).
/// </summary>
internal static class CombinationPlanner
{
    public const string SeparateProcessTag = "@separate-process";

    public static IReadOnlyList<TestCase> Plan(IReadOnlyList<RoutedScenario> scenarios, PlanRequest request)
    {
        var cases = new List<TestCase>();
        foreach (var routed in scenarios)
        {
            var scenario = routed.Scenario;
            if (request.Filters.Count > 0 && !request.Filters.Any(f => f.Matches(scenario)))
            {
                continue;
            }
            if (request.Tags is not null && !request.Tags.Evaluate(scenario.Tags.ToList()))
            {
                continue;
            }
            var costly = CostlyTags.SkipReason(scenario.Tags, request.EnabledCostlyTags);
            foreach (var combination in CombinationsFor(routed.Kinds, request.Selection, request.Platforms))
            {
                foreach (var mode in request.Modes)
                {
                    if (mode == RunMode.SameProcess && !combination.IsUniform)
                    {
                        continue;
                    }
                    var skip = costly ?? (mode == RunMode.SameProcess && scenario.HasTag(SeparateProcessTag)
                        ? "needs separate processes (@separate-process): a real crash or a second pid"
                        : null);
                    cases.Add(new TestCase(routed, combination, mode, skip));
                }
            }
        }
        return cases;
    }

    /// <summary>The combinations of platforms for the given kinds (alphabetical) under a selection.</summary>
    public static IReadOnlyList<Combination> CombinationsFor(
        IReadOnlyList<string> kinds, PlatformSelection selection, IReadOnlyList<string> platforms)
    {
        switch (selection)
        {
            case PlatformSelection.Pair pair:
                // Kind i takes the pair's platform i; a one-kind scenario runs once, on the first platform.
                var assigned = kinds.Select((_, i) => pair.Platforms[Math.Min(i, pair.Platforms.Count - 1)]).ToList();
                return [new Combination(kinds, assigned)];
            case PlatformSelection.Platform one:
                if (kinds.Count == 1)
                {
                    return [new Combination(kinds, [one.Name])];
                }
                return Product(kinds, platforms).Where(c => c.Platforms.Contains(one.Name)).ToList();
            default:
                return Product(kinds, platforms).ToList();
        }
    }

    private static IEnumerable<Combination> Product(IReadOnlyList<string> kinds, IReadOnlyList<string> platforms)
    {
        IEnumerable<IReadOnlyList<string>> tuples = [[]];
        foreach (var _ in kinds)
        {
            tuples = tuples.SelectMany(t => platforms.Select(p => (IReadOnlyList<string>)[.. t, p]));
        }
        return tuples.Select(t => new Combination(kinds, t));
    }

    /// <summary>
    /// Shard <paramref name="index"/> (1-based) of <paramref name="count"/>: cases sorted by their stable key,
    /// dealt round-robin, so every case lands in exactly one shard and shards differ by at most one case.
    /// The chosen cases keep their plan order.
    /// </summary>
    public static IReadOnlyList<TestCase> Shard(IReadOnlyList<TestCase> cases, int index, int count)
    {
        if (count < 1 || index < 1 || index > count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"shard {index}/{count} is not valid: use i/n with 1 <= i <= n");
        }
        var chosen = cases.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Where((_, position) => position % count == index - 1)
            .Select(c => c.Key)
            .ToHashSet(StringComparer.Ordinal);
        return cases.Where(c => chosen.Contains(c.Key)).ToList();
    }
}
