using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace ZeroBuffer.Tool.Cli;

/// <summary>
/// The one rule for the tool's numeric options, shared by the Python and C++ tools
/// (testdata/cli/number-validation.json): an optional '-' and ASCII digits, within the option's range.
/// Anything else is a usage error naming the option, its range and the value as given.
/// </summary>
internal static partial class NumberRules
{
    /// <summary>Option name → allowed range.</summary>
    private static readonly Dictionary<string, (long Min, long Max)> Ranges = new(StringComparer.Ordinal)
    {
        ["--count"] = (0, int.MaxValue),
        ["--size"] = (0, int.MaxValue),
        ["--metadata-size"] = (0, int.MaxValue),
        ["--payload-size"] = (0, int.MaxValue),
        ["--timeout-ms"] = (0, int.MaxValue),
        ["--handlers"] = (0, int.MaxValue),
    };

    [GeneratedRegex("^-?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    public static string Message(string option, string given)
    {
        (long min, long max) = Ranges[option];
        return $"{option} must be an integer from {min} to {max}, got '{given}'";
    }

    /// <summary>The value of <paramref name="given"/> for <paramref name="option"/>; null when it breaks the rule.</summary>
    public static long? Parse(string option, string given)
    {
        (long min, long max) = Ranges[option];
        return Integer().IsMatch(given)
               && long.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
               && value >= min && value <= max
            ? value
            : null;
    }

    /// <summary>Parses <paramref name="option"/>'s token by the rule (in place of System.CommandLine's type conversion).</summary>
    public static Option<T> Ranged<T>(Option<T> option)
        where T : struct, INumber<T>
    {
        if (!Ranges.ContainsKey(option.Name))
        {
            throw new ArgumentException($"no number rule for {option.Name}", nameof(option));
        }

        option.CustomParser = result =>
        {
            string given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (Parse(option.Name, given) is { } value)
            {
                return T.CreateChecked(value);
            }

            result.AddError(Message(option.Name, given));
            return default;
        };
        return option;
    }
}
