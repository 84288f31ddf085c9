using System.Text;
using System.Text.RegularExpressions;

namespace Harmony.Protocol.Phrases;

/// <summary>
/// A step pattern written back as Gherkin text, for "did you mean" suggestions: the same in every
/// worker and in the orchestrator's dry run (testdata/steps/phrases.json pins the rules), so a user
/// reads a step they can paste instead of a regular expression.
/// </summary>
public static partial class StepPhrase
{
    public const string NumberPlaceholder = "<number>";
    public const string NamePlaceholder = "<name>";
    public const string TextPlaceholder = "<text>";
    public const string ProcessPlaceholder = "<process>";

    [GeneratedRegex("the '([^']+)' process", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessPhrase();

    [GeneratedRegex(@"^[A-Za-z -]+(\|[A-Za-z -]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex WordAlternatives();

    /// <summary>The pattern as Gherkin text; the role of <paramref name="askedStep"/> fills the process group.</summary>
    public static string Render(string pattern, string askedStep)
    {
        Match asked = ProcessPhrase().Match(askedStep);
        string role = asked.Success ? asked.Groups[1].Value : ProcessPlaceholder;
        string body = pattern.StartsWith('^') ? pattern[1..] : pattern;
        if (body.EndsWith('$') && !body.EndsWith("\\$", StringComparison.Ordinal))
        {
            body = body[..^1];
        }

        var text = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '\\' && i + 1 < body.Length)
            {
                text.Append(body[++i]);
            }
            else if (c == '(')
            {
                int end = GroupEnd(body, i);
                string group = WithoutPrefix(body[(i + 1)..end]);
                bool isProcess = text.ToString().EndsWith("the '", StringComparison.Ordinal)
                                 && body.AsSpan(end + 1).StartsWith("' process", StringComparison.Ordinal);
                text.Append(isProcess ? role : Placeholder(group));
                i = end;
                if (i + 1 < body.Length && body[i + 1] is '?' or '*' or '+')
                {
                    i++;
                }
            }
            else if (c is '?' or '*' or '+')
            {
                // A quantifier after a literal character: the character stays.
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string Placeholder(string group)
    {
        if (WordAlternatives().IsMatch(group))
        {
            return group[..group.IndexOf('|', StringComparison.Ordinal)];
        }

        if (group.Contains("\\d", StringComparison.Ordinal) || group.Contains("0-9", StringComparison.Ordinal))
        {
            return NumberPlaceholder;
        }

        return group is "[^']+" or "[^']*" ? NamePlaceholder : TextPlaceholder;
    }

    /// <summary>"?:", "?P&lt;name&gt;" or "?&lt;name&gt;" in front of a group's body, dropped.</summary>
    private static string WithoutPrefix(string group)
    {
        if (group.StartsWith("?:", StringComparison.Ordinal))
        {
            return group[2..];
        }

        if (group.StartsWith("?P<", StringComparison.Ordinal) || group.StartsWith("?<", StringComparison.Ordinal))
        {
            return group[(group.IndexOf('>', StringComparison.Ordinal) + 1)..];
        }

        return group;
    }

    /// <summary>The index of the ')' that closes the group opened at <paramref name="open"/>.</summary>
    private static int GroupEnd(string pattern, int open)
    {
        int depth = 0;
        bool inClass = false;
        for (int i = open; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return i;
            }
        }

        return pattern.Length - 1;
    }
}
