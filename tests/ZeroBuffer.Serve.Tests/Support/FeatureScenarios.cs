using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ZeroBuffer.Serve.Tests.Support;

/// <summary>A scenario of the repository's features, outlines expanded: (keyword, text) steps in order.</summary>
internal sealed record FeatureScenario(string File, string Name, IReadOnlyList<string> Tags, IReadOnlyList<(string Keyword, string Text)> Steps)
{
    public override string ToString() => $"{File}: {Name}";
}

/// <summary>
/// Just enough Gherkin to replay features/*.feature in tests (the orchestrator owns real parsing):
/// tags, Feature, Scenario, Scenario Outline with one Examples table, steps, comments.
/// </summary>
internal static partial class FeatureScenarios
{
    [GeneratedRegex(@"^the '[^']+' process (is killed|crashes)( while .*)?$|^a new '[^']+' process is started(?: as user '[^']+'| with a private /dev/shm of '\d+' KB(?: and '\d+' files)?)?$|^wait for '\d+' (ms|seconds)$")]
    private static partial Regex OrchestratorStep();

    public static string Directory([CallerFilePath] string here = "")
    {
        if (Environment.GetEnvironmentVariable("HARMONY_FEATURES_DIR") is { Length: > 0 } custom)
        {
            return custom;
        }

        // tests/ZeroBuffer.Serve.Tests/Support/FeatureScenarios.cs -> repository root.
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));
        return Path.Combine(root, "features");
    }

    public static bool IsOrchestratorStep(string text) => OrchestratorStep().IsMatch(text);

    [GeneratedRegex(@"^the '([^']+)' process (?:is killed|crashes)(?: while .*)?$")]
    private static partial Regex CrashStep();

    [GeneratedRegex(@"^wait for '(\d+)' (ms|seconds)$")]
    private static partial Regex WaitStep();

    /// <summary>The role an orchestrator crash step names ("the 'reader' process is killed"), else null.</summary>
    public static string? CrashedRole(string text) => CrashStep().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>How long an orchestrator "wait for" step waits, else null.</summary>
    public static TimeSpan? Wait(string text) =>
        WaitStep().Match(text) is { Success: true } m
            ? m.Groups[2].Value == "ms" ? TimeSpan.FromMilliseconds(int.Parse(m.Groups[1].Value)) : TimeSpan.FromSeconds(int.Parse(m.Groups[1].Value))
            : null;

    public static IReadOnlyList<FeatureScenario> All() =>
        System.IO.Directory.GetFiles(Directory(), "*.feature").Order(StringComparer.Ordinal).SelectMany(Parse).ToList();

    public static IEnumerable<FeatureScenario> Parse(string path)
    {
        string file = Path.GetFileName(path);
        var featureTags = new List<string>();
        var pendingTags = new List<string>();
        string? name = null;
        List<string> tags = [];
        var steps = new List<(string, string)>();
        bool outline = false;
        List<string>? header = null;
        var examples = new List<IReadOnlyList<string>>();
        var results = new List<FeatureScenario>();

        void Flush()
        {
            if (name is null)
            {
                return;
            }

            if (!outline)
            {
                results.Add(new FeatureScenario(file, name, tags, steps.ToList()));
            }
            else
            {
                foreach (IReadOnlyList<string> row in examples)
                {
                    string Fill(string s) => header!.Select((h, i) => (h, i)).Aggregate(s, (acc, c) => acc.Replace($"<{c.h}>", row[c.i], StringComparison.Ordinal));
                    results.Add(new FeatureScenario(file, $"{Fill(name)} [{string.Join(", ", row)}]", tags, steps.Select(st => (st.Item1, Fill(st.Item2))).ToList()));
                }
            }

            name = null;
            steps.Clear();
            examples.Clear();
            header = null;
            outline = false;
        }

        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('@'))
            {
                pendingTags.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (line.StartsWith("Feature:", StringComparison.Ordinal))
            {
                featureTags = [.. pendingTags];
                pendingTags.Clear();
            }
            else if (line.StartsWith("Scenario", StringComparison.Ordinal))
            {
                Flush();
                outline = line.StartsWith("Scenario Outline:", StringComparison.Ordinal);
                name = line[(line.IndexOf(':') + 1)..].Trim();
                tags = [.. featureTags, .. pendingTags];
                pendingTags.Clear();
            }
            else if (line.StartsWith("Examples:", StringComparison.Ordinal))
            {
                header = null;
            }
            else if (line.StartsWith('|'))
            {
                List<string> cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToList();
                if (header is null)
                {
                    header = cells;
                }
                else
                {
                    examples.Add(cells);
                }
            }
            else if (name is not null)
            {
                int space = line.IndexOf(' ');
                string keyword = line[..space];
                if (keyword is "Given" or "When" or "Then" or "And" or "But")
                {
                    steps.Add((keyword, line[(space + 1)..]));
                }
            }
        }

        Flush();
        return results;
    }
}
