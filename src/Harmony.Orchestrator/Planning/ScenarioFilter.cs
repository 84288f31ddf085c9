using System.Text.RegularExpressions;
using Harmony.Orchestrator.Features;

namespace Harmony.Orchestrator.Planning;

/// <summary>
/// Test selection by positional argument: a test number (<c>1.1</c>, never matching <c>1.10</c>), a
/// section (<c>1.*</c>, or a bare <c>1</c>), a feature (file stem or Feature title, case-insensitive), or as in
/// Cucumber a feature file (<c>features/x.feature</c>) with an optional line (<c>:12</c>) naming a scenario, one of
/// its step lines, or one Examples row.
/// </summary>
internal sealed partial class ScenarioFilter
{
    [GeneratedRegex(@"^\d+(?:\.\d+)+$")]
    private static partial Regex ExactNumber();

    [GeneratedRegex(@"^(?<prefix>\d+(?:\.\d+)*)(?:\.\*)?$")]
    private static partial Regex Section();

    [GeneratedRegex(@"^(?<path>.+\.feature)(?::(?<line>\d+))?$")]
    private static partial Regex FileAndLine();

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
        if (FileAndLine().Match(token) is { Success: true } file)
        {
            var path = Path.GetFullPath(file.Groups["path"].Value);
            int? line = file.Groups["line"].Success ? int.Parse(file.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            return new ScenarioFilter(token, s => SameFile(s.Feature.File, path) && (line is not { } l || Contains(s, l)));
        }
        return new ScenarioFilter(token, s =>
            s.Feature.Stem.Equals(token, StringComparison.OrdinalIgnoreCase)
            || s.Feature.Name.Equals(token, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameFile(string featureFile, string fullPath) =>
        string.Equals(Path.GetFullPath(featureFile), fullPath, StringComparison.Ordinal);

    /// <summary>The line is the scenario's or one of its own steps' (an outline's: every row), or its Examples row.</summary>
    private static bool Contains(ScenarioCase scenario, int line) =>
        line == scenario.Location.Line
        || scenario.ExampleRowLine == line
        || scenario.Steps.Any(step => !step.FromBackground && step.Location.Line == line);
}
