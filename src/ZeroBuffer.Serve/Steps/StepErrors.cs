using Harmony.Protocol.Phrases;

namespace ZeroBuffer.Serve.Steps;

/// <summary>Every user-facing message of the step registry and invoker, in one place.</summary>
public static class StepErrors
{
    public static string NotFound(string text, IReadOnlyList<StepBinding> closest, IReadOnlyList<StepBinding> broken) =>
        broken.Count > 0
            ? $"No valid step definition matches \"{text}\": it matches {string.Join("; ", broken.Select(b => $"{b}, which is invalid: {b.Error}"))}."
            : NotFound(text, closest);

    public static string NotFound(string text, IReadOnlyList<StepBinding> closest) =>
        closest.Count == 0
            ? $"No step definition matches \"{text}\" (this worker has no valid step definitions)."
            : $"No step definition matches \"{text}\". Did you mean: {string.Join("; ", closest.Select(b => $"\"{StepPhrase.Render(b.Pattern, text)}\" ({b.Source})"))}?";

    public static string Ambiguous(string text, IReadOnlyList<StepBinding> matches) =>
        $"{matches.Count} step definitions match \"{text}\": {string.Join("; ", matches.Select(b => $"{b} -> {b.Method.DeclaringType?.Name}.{b.Method.Name}"))}.";

    public static string Timeout(string text, TimeSpan timeout, TimeSpan elapsed) =>
        $"Step \"{text}\" did not finish within its {timeout.TotalMilliseconds:0} ms timeout (elapsed {elapsed.TotalMilliseconds:0} ms); it was cancelled.";

    public static string Cancelled(string text, TimeSpan elapsed) =>
        $"Step \"{text}\" was cancelled after {elapsed.TotalMilliseconds:0} ms, before it finished.";

    public static string PreviousStillRunning(string previous, string text, TimeSpan waited) =>
        $"Step \"{text}\" could not start: the earlier step \"{previous}\" timed out or was cancelled and is still running after another {waited.TotalMilliseconds:0} ms.";

    public static string InvalidRegex(string pattern, string reason) => $"invalid regular expression '{pattern}': {reason}";

    public static string ParameterCountMismatch(string pattern, int groups, int parameters) =>
        $"pattern '{pattern}' has {groups} capture group(s) but the method takes {parameters} value parameter(s)";

    public static string UnsupportedParameter(string parameter, Type type) =>
        $"parameter '{parameter}' has type {type.Name}, which a capture cannot be converted to";

    public static string UnsupportedReturnType(Type type) =>
        $"return type {type.Name} is not supported (use void, Task, ValueTask, StepData, Task<StepData> or ValueTask<StepData>)";

    public static string BadValue(string value, Type type, string parameter) =>
        $"'{value}' is not a valid {type.Name} for parameter '{parameter}'.";

    public static string BadEnum(string value, Type type, string parameter) =>
        $"'{value}' is not one of {string.Join(", ", Enum.GetNames(type))} for parameter '{parameter}'.";

    public static string UnsupportedType(Type type, string parameter) =>
        $"Parameter '{parameter}' has type {type.Name}, which a capture cannot be converted to.";

    public static string MissingTable(string text) => $"Step \"{text}\" needs a data table, but none was given.";

    public static string MissingDocString(string text) => $"Step \"{text}\" needs a doc string, but none was given.";

    public static string UnexpectedTable(string text) => $"Step \"{text}\" got a data table, but its definition takes none.";

    public static string UnexpectedDocString(string text) => $"Step \"{text}\" got a doc string, but its definition takes none.";

    /// <summary>The step's multiline argument (<paramref name="got"/>) is not what its definition takes (testdata/steps/argument-mismatch.json).</summary>
    public static string ArgumentMismatch(string text, StepBinding binding, string got) =>
        $"Step \"{text}\" got {DescribeArgument(got)}, but its definition {binding} takes {DescribeArgument(binding.Accepts)}.";

    private static string DescribeArgument(string kind) => kind switch
    {
        Harmony.Protocol.Messages.StepArgumentKinds.Table => "a data table",
        Harmony.Protocol.Messages.StepArgumentKinds.DocString => "a doc string",
        _ => "no data table or doc string",
    };

    public static string InvalidBinding(StepBinding binding) => $"Step definition {binding} is invalid: {binding.Error}.";

    public static string Unhandled(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}
