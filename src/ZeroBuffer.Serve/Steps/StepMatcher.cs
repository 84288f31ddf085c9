using System.Runtime.InteropServices;
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
/// <remarks>
/// Trying every pattern cost a tenth of a trivial step's time in the worker. So each binding is filed
/// under one key word, the rarest of the words its required text surely has as whole words
/// (<see cref="KeyWords"/>), and a step is tried only against the bindings filed under its own words,
/// plus those with no key word; the required-text test and the regex then decide as before.
/// </remarks>
public sealed class StepMatcher
{
    /// <summary>How many near misses a StepNotFound names.</summary>
    public const int SuggestionCount = 3;

    private readonly StepRegistry _registry;
    private readonly Dictionary<string, List<int>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>>.AlternateLookup<ReadOnlySpan<char>> _byKeySpan;
    private readonly List<int> _keyless = [];

    public StepMatcher(StepRegistry registry)
    {
        _registry = registry;
        _byKeySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        IReadOnlyList<StepBinding> valid = registry.Valid;
        var keys = valid.Select(b => KeyWords(b.RequiredText)).ToList();
        var counts = keys.SelectMany(words => words.Distinct()).CountBy(w => w, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        for (int i = 0; i < valid.Count; i++)
        {
            if (keys[i].Count == 0)
            {
                _keyless.Add(i);
                continue;
            }

            string key = keys[i].OrderBy(w => counts[w]).ThenByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).First();
            (CollectionsMarshal.GetValueRefOrAddDefault(_byKey, key, out _) ??= []).Add(i);
        }
    }

    /// <summary>
    /// The words of a required text that every matching step has as whole (whitespace-separated)
    /// words: those with whitespace on both sides inside it. A word at its edge may be glued to what a
    /// group matches (<c>(\d+)ms</c>), so it is no key.
    /// </summary>
    internal static IReadOnlyList<string> KeyWords(string requiredText)
    {
        string[] words = requiredText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [];
        }

        int first = char.IsWhiteSpace(requiredText[0]) ? 0 : 1;
        int last = char.IsWhiteSpace(requiredText[^1]) ? words.Length : words.Length - 1;
        return first < last ? words[first..last] : [];
    }

    /// <summary>Indexes into <see cref="StepRegistry.Valid"/> of the bindings that may match, in registry order, each once.</summary>
    private List<int> Candidates(string text)
    {
        var found = new List<int>(_keyless);
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            int start = 0;
            while (start < rest.Length && char.IsWhiteSpace(rest[start]))
            {
                start++;
            }

            int end = start;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
            {
                end++;
            }

            if (end > start && _byKeySpan.TryGetValue(rest[start..end], out List<int>? filed))
            {
                found.AddRange(filed);
            }

            rest = rest[end..];
        }

        found.Sort();
        int distinct = 0;
        for (int i = 0; i < found.Count; i++)
        {
            if (distinct == 0 || found[distinct - 1] != found[i])
            {
                found[distinct++] = found[i]; // the text may have a key word more than once
            }
        }

        found.RemoveRange(distinct, found.Count - distinct);
        return found;
    }

    public StepMatch Match(string text)
    {
        var matches = new List<(StepBinding Binding, Match Match)>();
        foreach (int index in Candidates(text))
        {
            StepBinding binding = _registry.Valid[index];
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
        _registry.Invalid.Where(b =>
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
        return _registry.Valid
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
