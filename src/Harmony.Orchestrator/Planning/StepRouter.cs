using System.Globalization;
using System.Text.RegularExpressions;
using Harmony.Orchestrator.Features;
using Harmony.Protocol.Messages;

namespace Harmony.Orchestrator.Planning;

/// <summary>
/// Routes steps (ORCHESTRATION.md "Routing"): a step naming <c>the '&lt;role&gt;' process</c> goes to that
/// role; And/But without a phrase go where the previous step went; Given/When/Then without a phrase are
/// broadcast; kill / crash / start / wait steps belong to the orchestrator. Step text is never changed.
/// </summary>
internal static partial class StepRouter
{
    [GeneratedRegex(@"\bthe '(?<role>[^']*)' process\b")]
    private static partial Regex ProcessPhrase();

    [GeneratedRegex(@"^the '(?<role>[^']*)' process (?:is killed|crashes)(?: while .+)?$")]
    private static partial Regex KillStep();

    [GeneratedRegex(@"^a new '(?<role>[^']*)' process is started$")]
    private static partial Regex StartStep();

    [GeneratedRegex(@"^a new '(?<role>[^']*)' process is started as user '(?<user>[^']+)'$")]
    private static partial Regex StartAsUserStep();

    [GeneratedRegex(@"^a new '(?<role>[^']*)' process is started with a private /dev/shm of '(?<kb>\d+)' KB(?: and '(?<files>\d+)' files)?$")]
    private static partial Regex StartWithPrivateShmStep();

    [GeneratedRegex(@"^wait for '(?<n>\d+)' (?<unit>ms|milliseconds?|seconds?)$")]
    private static partial Regex WaitStep();

    /// <summary>Routes one scenario; problems (unknown roles, a scenario with no roles) are returned as errors.</summary>
    public static (RoutedScenario? Scenario, IReadOnlyList<FeatureError> Errors) Route(ScenarioCase scenario)
    {
        var errors = new List<FeatureError>();
        var routed = new List<RoutedStep>();
        var roles = new List<string>();
        StepAction? previous = null;
        var stepType = StepTypes.Given;
        foreach (var step in scenario.Steps)
        {
            stepType = step.KeywordKind switch
            {
                StepKeywordKind.Given => StepTypes.Given,
                StepKeywordKind.When => StepTypes.When,
                StepKeywordKind.Then => StepTypes.Then,
                _ => stepType,
            };
            var action = Classify(step, previous, errors);
            var role = action switch
            {
                SendToRole send => send.Role,
                KillRole kill => kill.Role,
                StartRole start => start.Role,
                StartRoleAsUser start => start.Role,
                StartRoleWithPrivateShm start => start.Role,
                _ => null,
            };
            if (role is not null)
            {
                roles.Add(role);
            }
            routed.Add(new RoutedStep(routed.Count + 1, step, action, stepType));
            previous = action;
        }
        if (roles.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FeatureError(scenario.Location,
                $"scenario '{scenario.Name}' names no process (\"the 'reader' process ...\"), so Harmony cannot tell which workers to start"));
        }
        return errors.Count > 0
            ? (null, errors)
            : (new RoutedScenario(scenario, routed, RoleNames.Sort(roles)), errors);
    }

    /// <summary>Routes every scenario; throws with all errors if any scenario cannot be routed.</summary>
    public static IReadOnlyList<RoutedScenario> RouteAll(IEnumerable<ScenarioCase> scenarios)
    {
        var errors = new List<FeatureError>();
        var result = new List<RoutedScenario>();
        foreach (var scenario in scenarios)
        {
            var (routed, routeErrors) = Route(scenario);
            errors.AddRange(routeErrors);
            if (routed is not null)
            {
                result.Add(routed);
            }
        }
        if (errors.Count > 0)
        {
            throw new FeatureLoadException(errors);
        }
        return result;
    }

    private static StepAction Classify(StepSpec step, StepAction? previous, List<FeatureError> errors)
    {
        var text = step.Text;
        if (KillStep().Match(text) is { Success: true } kill)
        {
            return new KillRole(CheckRole(kill.Groups["role"].Value, step, errors));
        }
        if (StartStep().Match(text) is { Success: true } start)
        {
            return new StartRole(CheckRole(start.Groups["role"].Value, step, errors));
        }
        if (StartAsUserStep().Match(text) is { Success: true } asUser)
        {
            return new StartRoleAsUser(CheckRole(asUser.Groups["role"].Value, step, errors), asUser.Groups["user"].Value);
        }
        if (StartWithPrivateShmStep().Match(text) is { Success: true } shm)
        {
            var files = shm.Groups["files"];
            return new StartRoleWithPrivateShm(
                CheckRole(shm.Groups["role"].Value, step, errors),
                CheckPositive(shm.Groups["kb"].Value, step, errors),
                files.Success ? CheckPositive(files.Value, step, errors) : null);
        }
        if (WaitStep().Match(text) is { Success: true } wait)
        {
            var n = long.Parse(wait.Groups["n"].Value, CultureInfo.InvariantCulture);
            var unit = wait.Groups["unit"].Value;
            return new Wait(unit.StartsWith('s') ? TimeSpan.FromSeconds(n) : TimeSpan.FromMilliseconds(n));
        }
        if (ProcessPhrase().Match(text) is { Success: true } phrase)
        {
            return new SendToRole(CheckRole(phrase.Groups["role"].Value, step, errors));
        }
        if (step.KeywordKind is StepKeywordKind.And or StepKeywordKind.But)
        {
            // Continue where the previous step went: a role (also the role just killed or started) or a broadcast.
            return previous switch
            {
                SendToRole send => send,
                KillRole k => new SendToRole(k.Role),
                StartRole s => new SendToRole(s.Role),
                StartRoleAsUser s => new SendToRole(s.Role),
                StartRoleWithPrivateShm s => new SendToRole(s.Role),
                _ => new SendToAll(),
            };
        }
        return new SendToAll();
    }

    private static long CheckPositive(string digits, StepSpec step, List<FeatureError> errors)
    {
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
        {
            errors.Add(new FeatureError(step.Location, $"'{digits}' in step \"{step.Text}\" must be a whole number from 1 to {long.MaxValue}"));
            return 1;
        }
        return n;
    }

    private static string CheckRole(string role, StepSpec step, List<FeatureError> errors)
    {
        if (!RoleNames.IsValid(role))
        {
            errors.Add(new FeatureError(step.Location,
                $"unknown role '{role}' in step \"{step.Text}\": roles are reader, writer, client or server, optionally with a suffix (reader-2, writer-b)"));
        }
        return role;
    }
}
