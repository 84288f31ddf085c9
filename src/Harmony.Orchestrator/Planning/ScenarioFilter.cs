using System.Text.RegularExpressions;
using Harmony.Orchestrator.Features;

namespace Harmony.Orchestrator.Planning;

/// <summary>
/// Test selection by positional argument: a test number (<c>1.1</c>, never matching <c>1.10</c>), a
/// section (<c>1.*</c>, or a bare <c>1</c>), or a feature (file stem or Feature title, case-insensitive).
/// </summary>
internal sealed partial class ScenarioFilter
{
    [GeneratedRegex(@"^\d+(?:\.\d+)+$")]
    private static partial Regex ExactNumber();

    [GeneratedRegex(@"^(?<prefix>\d+(?:\.\d+)*)(?:\.\*)?$")]
    private static partial Regex Section();

    private readonly Func<ScenarioCase, bool> _predicate;

    private ScenarioFilter(string token, Func<ScenarioCase, bool> predicate)
    {
        Token = token;
        _predicate = predicate;
    }

    public string Token { get; }

    public bool Matches(ScenarioCase scenario) => _predicate(scenario);

    public static ScenarioFilter Parse(string token)
    {
        if (ExactNumber().IsMatch(token))
        {
            return new ScenarioFilter(token, s => s.Id == token);
        }
        if (Section().Match(token) is { Success: true } section)
        {
            var prefix = section.Groups["prefix"].Value + ".";
            return new ScenarioFilter(token, s => s.Id is { } id && (id + ".").StartsWith(prefix, StringComparison.Ordinal));
        }
        return new ScenarioFilter(token, s =>
            s.Feature.Stem.Equals(token, StringComparison.OrdinalIgnoreCase)
            || s.Feature.Name.Equals(token, StringComparison.OrdinalIgnoreCase));
    }
}
