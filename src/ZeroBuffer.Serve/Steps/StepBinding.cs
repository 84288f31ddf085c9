using System.Reflection;
using System.Text.RegularExpressions;
using Harmony.Protocol.Messages;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// One pattern bound to one method. An invalid binding (bad regex, parameters that do not fit the
/// groups) keeps its error instead of throwing, so discover can report every one of them.
/// </summary>
public sealed class StepBinding
{
    private StepBinding(string stepType, string pattern, string source, MethodInfo method, Regex? regex, string? error)
    {
        StepType = stepType;
        Pattern = pattern;
        Source = source;
        Method = method;
        Regex = regex;
        Error = error;
        Accepts = AcceptsOf(method);
        RequiredText = RequiredLiteral.Of(pattern);
    }

    public string StepType { get; }

    /// <summary>The pattern as written on the attribute.</summary>
    public string Pattern { get; }

    /// <summary>file:line of the attribute.</summary>
    public string Source { get; }

    public MethodInfo Method { get; }

    /// <summary>The anchored regex; null when the pattern does not compile. An invalid binding may have one.</summary>
    public Regex? Regex { get; }

    /// <summary>Text every matching step contains (<see cref="RequiredLiteral"/>); empty when the pattern has none.</summary>
    public string RequiredText { get; }

    /// <summary>Why the binding cannot be used; null when it is valid.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    /// <summary>The multiline argument the method takes: a <see cref="StepTable"/> or <see cref="StepDocString"/> parameter, else none (<see cref="StepArgumentKinds"/>).</summary>
    public string Accepts { get; }

    private static string AcceptsOf(MethodInfo method)
    {
        Type[] types = method.GetParameters().Select(p => p.ParameterType).ToArray();
        return types.Contains(typeof(StepTable)) ? StepArgumentKinds.Table
            : types.Contains(typeof(StepDocString)) ? StepArgumentKinds.DocString
            : StepArgumentKinds.None;
    }

    public static StepBinding Create(string stepType, string pattern, string source, MethodInfo method, Regex regex) =>
        new(stepType, pattern, source, method, regex, null);

    /// <param name="regex">The compiled pattern when only the method is wrong, so a step that hits it can be told why.</param>
    public static StepBinding CreateInvalid(string stepType, string pattern, string source, MethodInfo method, string error, Regex? regex = null) =>
        new(stepType, pattern, source, method, regex, error);

    public override string ToString() => $"'{Pattern}' ({Source})";
}
