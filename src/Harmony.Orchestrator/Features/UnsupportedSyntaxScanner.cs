using System.Text.RegularExpressions;

namespace Harmony.Orchestrator.Features;

/// <summary>
/// Finds Gherkin 6+ keywords that the Gherkin 5.0.0 parser does not know. The parser would otherwise
/// read a <c>Rule:</c> or <c>Example:</c> line after a title as free description text and silently drop
/// the scenarios below it, so these lines are reported as errors before parsing.
/// </summary>
internal static partial class UnsupportedSyntaxScanner
{
    [GeneratedRegex(@"^(?<indent>\s*)(?<keyword>Rule|Example)\s*:")]
    private static partial Regex UnsupportedKeyword();

    public static IEnumerable<FeatureError> Scan(string file, string text)
    {
        string? openDocString = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (openDocString is not null)
            {
                if (trimmed.StartsWith(openDocString, StringComparison.Ordinal))
                {
                    openDocString = null;
                }
                continue;
            }
            if (trimmed.StartsWith("\"\"\"", StringComparison.Ordinal) || trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                openDocString = trimmed[..3];
                continue;
            }
            var match = UnsupportedKeyword().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var location = new SourceLocation(file, i + 1, match.Groups["indent"].Length + 1);
            yield return match.Groups["keyword"].Value == "Rule"
                ? new FeatureError(location,
                    "'Rule:' is not supported by the Gherkin 5.0.0 parser Harmony uses; put the scenarios directly under 'Feature:'")
                : new FeatureError(location,
                    "'Example:' is not a keyword in Gherkin 5.0.0; use 'Scenario:' (or 'Examples:' for a Scenario Outline table)");
        }
    }
}
