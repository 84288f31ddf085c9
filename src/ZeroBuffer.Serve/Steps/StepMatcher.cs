using System.Text;
using System.Text.RegularExpressions;
using Harmony.Protocol.Phrases;

namespace ZeroBuffer.Serve.Steps;

public enum StepMatchKind
{
    Matched,
    NotFound,
    Ambiguous,
}

/// <summary>
/// The result of matching one step text: the binding and its captures, or the reason there is
/// none (<see cref="Candidates"/>: the closest patterns when not found, every match when ambiguous).
/// </summary>
public sealed record StepMatch(StepMatchKind Kind, StepBinding? Binding, IReadOnlyList<string> Captures, IReadOnlyList<StepBinding> Candidates)
{
    /// <summary>Invalid bindings whose pattern matches the text (why a step that "should" match does not).</summary>
    public IReadOnlyList<StepBinding> BrokenMatches { get; init; } = [];
}

/// <summary>Matches step text against the valid bindings: full match, keyword ignored.</summary>
public sealed class StepMatcher(StepRegistry registry)
{
    /// <summary>How many near misses a StepNotFound names.</summary>
    public const int SuggestionCount = 3;

    public StepMatch Match(string text)
    {
        var matches = new List<(StepBinding Binding, Match Match)>();
        foreach (StepBinding binding in registry.Valid)
        {
            if (!text.Contains(binding.RequiredText, StringComparison.Ordinal))
            {
                continue;
            }

            Match match;
            try
            {
                match = binding.Regex!.Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                matches.Add((binding, match));
            }
        }

        return matches.Count switch
        {
            0 => new StepMatch(StepMatchKind.NotFound, null, [], Closest(text)) { BrokenMatches = BrokenMatches(text) },
            1 => new StepMatch(StepMatchKind.Matched, matches[0].Binding, Captures(matches[0].Match), []),
            _ => new StepMatch(StepMatchKind.Ambiguous, null, [], matches.Select(m => m.Binding).ToList()),
        };
    }

    private List<StepBinding> BrokenMatches(string text) =>
        registry.Invalid.Where(b =>
        {
            try
            {
                return b.Regex?.IsMatch(text) == true;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }).ToList();

    /// <summary>The valid bindings whose pattern skeleton is nearest to the text (edit distance).</summary>
    public IReadOnlyList<StepBinding> Closest(string text)
    {
        string normalized = WithoutQuotedValues(text);
        return registry.Valid
            .Select(b => (Binding: b, Distance: EditDistance.Between(normalized, Skeleton(b.Pattern))))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Binding.Pattern, StringComparer.Ordinal)
            .Take(SuggestionCount)
            .Select(x => x.Binding)
            .ToList();
    }

    private static List<string> Captures(Match match)
    {
        var captures = new List<string>(match.Groups.Count - 1);
        for (int i = 1; i < match.Groups.Count; i++)
        {
            captures.Add(match.Groups[i].Value);
        }

        return captures;
    }

    /// <summary>"creates buffer 'x'" → "creates buffer ''": values do not count as differences.</summary>
    internal static string WithoutQuotedValues(string text) => Regex.Replace(text, "'[^']*'", "''", RegexOptions.CultureInvariant);

    /// <summary>A pattern's literal text: groups dropped, escapes resolved, anchors removed.</summary>
    internal static string Skeleton(string pattern)
    {
        var literal = new StringBuilder(pattern.Length);
        int depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                if (depth == 0)
                {
                    literal.Append(pattern[i + 1]);
                }

                i++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && c is not ('^' or '$'))
            {
                literal.Append(c);
            }
        }

        return literal.ToString();
    }
}
