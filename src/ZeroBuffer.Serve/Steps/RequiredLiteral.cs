using System.Text;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// The longest run of plain text every match of a step pattern must contain, so the matcher can
/// skip a pattern with one ordinal <c>Contains</c> instead of running its regex: a step is matched
/// against every binding, and the regexes dominated a defined step's cost (about 115 interpreted
/// matches per step). Conservative: any construct it does not fully understand ends the run, and a
/// pattern with a top-level alternation or inline options gets no literal (it is always tried).
/// </summary>
public static class RequiredLiteral
{
    public static string Of(string pattern)
    {
        if (HasTopLevelAlternationOrOptions(pattern))
        {
            return "";
        }

        string longest = "";
        var run = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (depth > 0 || c is '(' or ')' or '[')
            {
                Flush(run, ref longest);
                i = Skip(pattern, i, ref depth);
                continue;
            }

            int next;
            char literal;
            if (c == '\\')
            {
                // \d, \w, \p{..}, \1 ... are classes or references; \. \' \( are the character itself.
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1]))
                {
                    Flush(run, ref longest);
                    i++;
                    continue;
                }

                literal = pattern[i + 1];
                next = i + 2;
            }
            else if (c == '{')
            {
                // A counted quantifier: its digits are not text.
                Flush(run, ref longest);
                int close = pattern.IndexOf('}', i);
                i = close < 0 ? pattern.Length : close;
                continue;
            }
            else if (c is '.' or '^' or '$' or '*' or '+' or '?' or '}' or '|')
            {
                Flush(run, ref longest);
                continue;
            }
            else
            {
                literal = c;
                next = i + 1;
            }

            if (next < pattern.Length && pattern[next] is '?' or '*' or '+' or '{')
            {
                // A quantified character is optional or repeated: it is not part of a fixed run.
                Flush(run, ref longest);
            }
            else
            {
                run.Append(literal);
            }

            i = next - 1;
        }

        Flush(run, ref longest);
        return longest;
    }

    private static void Flush(StringBuilder run, ref string longest)
    {
        if (run.Length > longest.Length)
        {
            longest = run.ToString();
        }

        run.Clear();
    }

    /// <summary>Steps over a group or a character class starting at <paramref name="i"/>; returns the index of its last character.</summary>
    private static int Skip(string pattern, int i, ref int depth)
    {
        for (; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '[')
            {
                i = SkipClass(pattern, i);
                if (depth == 0)
                {
                    return i;
                }
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
                if (depth == 0)
                {
                    // A quantifier after the group is handled by the caller as a meta character.
                    return i;
                }
            }
        }

        return i;
    }

    private static int SkipClass(string pattern, int i)
    {
        // "[]...]" and "[^]...]" take the first ']' literally.
        int j = i + 1;
        if (j < pattern.Length && pattern[j] == '^')
        {
            j++;
        }

        if (j < pattern.Length && pattern[j] == ']')
        {
            j++;
        }

        for (; j < pattern.Length; j++)
        {
            if (pattern[j] == '\\')
            {
                j++;
            }
            else if (pattern[j] == ']')
            {
                return j;
            }
        }

        return pattern.Length - 1;
    }

    private static bool HasTopLevelAlternationOrOptions(string pattern)
    {
        int depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '[')
            {
                i = SkipClass(pattern, i);
            }
            else if (c == '(')
            {
                // (?i) and friends change how the rest of the pattern matches; (?: and (?< do not.
                if (i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] is not (':' or '<' or '=' or '!'))
                {
                    return true;
                }

                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '|' && depth == 0)
            {
                return true;
            }
        }

        return false;
    }
}
