using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Harmony.Protocol.Messages;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// For an undefined step, a ready definition in the language of the platform that lacks it: a C#
/// attribute method, a Python decorated function or a C++ registration, each with typed parameters.
/// A quoted value becomes a capture: the role in "the '…' process" a string, a whole number an
/// integer, anything else a string; the word before a value names its parameter.
/// </summary>
internal static partial class StepSnippets
{
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "with", "to", "at", "of", "and", "in", "on", "after", "within", "for", "from", "by", "is", "as",
    };

    [GeneratedRegex("'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();

    [GeneratedRegex("^-?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex("[A-Za-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    private enum CaptureKind
    {
        Role,
        Integer,
        NegativeInteger,
        Text,
    }

    private sealed record Capture(string Name, CaptureKind Kind);

    /// <summary>The snippet for <paramref name="platform"/> (csharp, python, cpp); null for a platform it does not know.</summary>
    public static string? For(string platform, string stepType, string text) => platform switch
    {
        Platforms.CSharp => CSharp(stepType, text),
        Platforms.Python => Python(stepType, text),
        Platforms.Cpp => Cpp(stepType, text),
        _ => null,
    };

    private static string CSharp(string stepType, string text)
    {
        var (pattern, captures, words) = Analyse(text, (name, kind) => kind switch
        {
            CaptureKind.Role => "'([^']+)'",
            CaptureKind.Integer => @"'(\d+)'",
            CaptureKind.NegativeInteger => @"'(-?\d+)'",
            _ => "'([^']*)'",
        });
        string parameters = string.Join(", ", captures.Select(c => $"{(c.Kind is CaptureKind.Integer or CaptureKind.NegativeInteger ? "int" : "string")} {c.Name}"));
        return $"""
            [{Pascal([stepType])}(@"{pattern.Replace("\"", "\"\"", StringComparison.Ordinal)}")]
            public void {Pascal(words)}({parameters})
            {"{"}
                throw new NotImplementedException("pending step");
            {"}"}
            """;
    }

    private static string Python(string stepType, string text)
    {
        var (pattern, captures, words) = Analyse(text, (name, kind) => kind switch
        {
            CaptureKind.Role => $"'(?P<{name}>[^']+)'",
            CaptureKind.Integer => $@"'(?P<{name}>\d+)'",
            CaptureKind.NegativeInteger => $@"'(?P<{name}>-?\d+)'",
            _ => $"'(?P<{name}>[^']*)'",
        });
        string parameters = string.Concat(captures.Select(c => $", {c.Name}: {(c.Kind is CaptureKind.Integer or CaptureKind.NegativeInteger ? "int" : "str")}"));
        return $"""
            @{stepType}(r"{pattern.Replace("\"", "\\\"", StringComparison.Ordinal)}")
            def {string.Join('_', words.Select(w => w.ToLowerInvariant()))}(ctx: ScenarioContext{parameters}) -> None:
                raise NotImplementedError("pending step")
            """;
    }

    private static string Cpp(string stepType, string text)
    {
        var (pattern, captures, _) = Analyse(text, (name, kind) => kind switch
        {
            CaptureKind.Role => "'([^']+)'",
            CaptureKind.Integer => @"'(\d+)'",
            CaptureKind.NegativeInteger => @"'(-?\d+)'",
            _ => "'([^']*)'",
        });
        var body = new StringBuilder();
        for (int i = 0; i < captures.Count; i++)
        {
            Capture c = captures[i];
            body.Append(c.Kind switch
            {
                CaptureKind.Integer => $"    const std::uint64_t {c.Name} = steps::to_uint(a[{i}]);\n",
                CaptureKind.NegativeInteger => $"    const std::int64_t {c.Name} = steps::to_int(a[{i}]);\n",
                _ => $"    const std::string& {c.Name} = a[{i}];\n",
            });
        }

        return $"registry.{stepType}(R\"({pattern})\", [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {{\n"
               + body
               + "    throw steps::AssertionFailed(\"pending step\");\n});";
    }

    /// <summary>The step as a pattern (each quoted value a capture written by <paramref name="group"/>), its captures and its literal words.</summary>
    private static (string Pattern, List<Capture> Captures, List<string> Words) Analyse(string text, Func<string, CaptureKind, string> group)
    {
        var pattern = new StringBuilder();
        var captures = new List<Capture>();
        var words = new List<string>();
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        int at = 0;
        foreach (Match value in QuotedValue().Matches(text))
        {
            string before = text[at..value.Index];
            pattern.Append(Regex.Escape(before).Replace("\\ ", " ", StringComparison.Ordinal));
            words.AddRange(Word().Matches(before).Select(m => m.Value));
            string inner = value.Value[1..^1];
            bool isRole = before.EndsWith("the ", StringComparison.Ordinal) && text.AsSpan(value.Index + value.Length).StartsWith(" process", StringComparison.Ordinal);
            CaptureKind kind = isRole ? CaptureKind.Role
                : WholeNumber().IsMatch(inner) ? (inner.StartsWith('-') ? CaptureKind.NegativeInteger : CaptureKind.Integer)
                : CaptureKind.Text;
            string name = Unique(isRole ? "process" : NameFrom(before, kind), used);
            captures.Add(new Capture(name, kind));
            pattern.Append(group(name, kind));
            at = value.Index + value.Length;
        }

        string rest = text[at..];
        pattern.Append(Regex.Escape(rest).Replace("\\ ", " ", StringComparison.Ordinal));
        words.AddRange(Word().Matches(rest).Select(m => m.Value));
        return (pattern.ToString(), captures, words.Count > 0 ? words : ["step"]);
    }

    private static string NameFrom(string before, CaptureKind kind)
    {
        var previous = Word().Matches(before).Select(m => m.Value.ToLowerInvariant()).LastOrDefault();
        return previous is not null && !NotNames.Contains(previous) ? previous : kind == CaptureKind.Text ? "text" : "number";
    }

    private static string Unique(string name, Dictionary<string, int> used)
    {
        int seen = used.GetValueOrDefault(name);
        used[name] = seen + 1;
        return seen == 0 ? name : name + (seen + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string Pascal(IEnumerable<string> words) =>
        string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
