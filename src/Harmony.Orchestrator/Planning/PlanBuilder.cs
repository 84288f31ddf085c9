using System.Text.RegularExpressions;
using Harmony.Orchestrator.Configuration;
using Harmony.Orchestrator.Features;

namespace Harmony.Orchestrator.Planning;

/// <summary>Config + features + selection → the test cases to run (parse → route → plan → shard).</summary>
internal sealed record PreparedRun(HarmonyConfig Config, IReadOnlyList<TestCase> Cases, IReadOnlyList<RunMode> Modes, FeatureSet Features)
{
    /// <summary>How many cases the selection planned before <c>--shard</c> took its share.</summary>
    public int UnshardedCount { get; init; } = Cases.Count;
}

/// <summary>What to plan, as given on the command line: selection positionals, config, mode, tags and shard.</summary>
internal sealed record PlanOptions(IReadOnlyList<string> Positionals, string ConfigPath, string Mode, string? Tags, string? Shard)
{
    /// <summary><c>--name</c>: a regular expression the scenario name must match.</summary>
    public string? NamePattern { get; init; }

    /// <summary>Costly tags turned on by <c>--long</c>/<c>--stress</c>/<c>--bench</c> or named in the tags (<see cref="CostlyTags.Enabled"/>).</summary>
    public IReadOnlySet<string> EnabledCostlyTags { get; init; } = CostlyTags.Enabled(Tags);

    /// <summary><c>--rerun-from</c>: only these cases (the positionals and mode are then ignored).</summary>
    public IReadOnlyList<RerunEntry>? Rerun { get; init; }
}

internal static partial class PlanBuilder
{
    [GeneratedRegex(@"^(?<i>\d+)/(?<n>\d+)$")]
    private static partial Regex ShardSpec();

    /// <exception cref="UsageException">Bad selection, mode, tags or shard.</exception>
    /// <exception cref="ConfigException">Bad config.</exception>
    /// <exception cref="FeatureLoadException">Feature files have errors.</exception>
    public static PreparedRun Prepare(PlanOptions settings)
    {
        var modes = RunModeNames.Parse(settings.Mode)
            ?? throw new UsageException($"--mode must be separate-process, same-process or both (got '{settings.Mode}')");
        TagExpression? tags;
        try
        {
            tags = settings.Tags is { Length: > 0 } t ? TagExpression.Parse(t) : null;
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        var config = HarmonyConfig.Load(settings.ConfigPath);
        if (config.Platforms.Count == 0)
        {
            throw new ConfigException($"{config.File}: no platforms configured");
        }
        var (selection, filters) = Classify(settings.Positionals, config.PlatformNames);

        var features = FeatureLoader.Load(config.FeaturesPath);
        var routed = StepRouter.RouteAll(features.Scenarios);
        var unmatched = filters.Where(f => !features.Scenarios.Any(f.Matches)).Select(f => f.Token).ToList();
        if (unmatched.Count > 0)
        {
            var stems = string.Join(", ", features.Features.Select(f => f.Stem));
            throw new UsageException(
                $"nothing matches {string.Join(", ", unmatched.Select(u => $"'{u}'"))}: use a pair or platform " +
                $"({string.Join(", ", config.PlatformNames)}), a test number (1.1, 1.*) or a feature ({stems})");
        }
        var mostKinds = routed.Select(r => r.Kinds.Count).DefaultIfEmpty(0).Max();
        if (selection is PlatformSelection.Pair pair && pair.Platforms.Count > Math.Max(2, mostKinds))
        {
            throw new UsageException(
                $"'{string.Join('_', pair.Platforms)}' names {pair.Platforms.Count} platforms but no scenario has more than " +
                $"{mostKinds} kinds of role: name one platform per kind (e.g. {string.Join('_', pair.Platforms.Take(2))})");
        }
        var cases = CombinationPlanner.Plan(routed, new PlanRequest(config.PlatformNames, selection, filters, tags, modes)
        {
            EnabledCostlyTags = settings.EnabledCostlyTags,
        });
        if (settings.NamePattern is { } pattern)
        {
            Regex name;
            try
            {
                name = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--name '{pattern}' is not a regular expression: {ex.Message}");
            }
            cases = cases.Where(c => name.IsMatch(c.Routed.Scenario.Name)).ToList();
        }
        if (settings.Rerun is { } rerun)
        {
            cases = cases.Where(c => rerun.Any(entry => entry.Matches(c))).ToList();
        }
        var planned = cases.Count;
        if (settings.Shard is { } shard)
        {
            var match = ShardSpec().Match(shard);
            if (!match.Success)
            {
                throw new UsageException($"--shard must look like i/n (e.g. 2/4), got '{shard}'");
            }
            var index = int.Parse(match.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var count = int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (count < 1 || index < 1 || index > count)
            {
                throw new UsageException($"--shard {shard}: need 1 <= i <= n");
            }
            cases = CombinationPlanner.Shard(cases, index, count);
        }
        return new PreparedRun(config, cases, modes, features) { UnshardedCount = planned };
    }

    /// <summary>Splits positionals into at most one platform selection and any number of test filters.</summary>
    public static (PlatformSelection Selection, IReadOnlyList<ScenarioFilter> Filters) Classify(
        IReadOnlyList<string> positionals, IReadOnlyList<string> platforms)
    {
        PlatformSelection? selection = null;
        var filters = new List<ScenarioFilter>();
        foreach (var token in positionals)
        {
            var parsed = PlatformSelection.TryParse(token, platforms, out var error);
            if (error is not null)
            {
                throw new UsageException(error);
            }
            if (parsed is null)
            {
                filters.Add(ScenarioFilter.Parse(token));
                continue;
            }
            if (selection is not null)
            {
                throw new UsageException($"choose one pair or platform, got '{token}' after another selection");
            }
            selection = parsed;
        }
        return (selection ?? new PlatformSelection.All(), filters);
    }

    /// <summary>Platforms the cases need whose command cannot be found, with the command.</summary>
    public static IReadOnlyList<string> MissingCommands(PreparedRun run) =>
        run.Cases.Where(c => c.SkipReason is null)
            .SelectMany(c => c.Combination.Platforms)
            .Distinct(StringComparer.Ordinal)
            .Select(run.Config.Platform)
            .Where(p => HarmonyConfig.ResolveExecutable(p.Command) is null)
            .Select(p => $"{p.Name}: '{p.Command}' does not exist" + (p.Command.Contains('/') ? "" : " on PATH"))
            .ToList();
}
