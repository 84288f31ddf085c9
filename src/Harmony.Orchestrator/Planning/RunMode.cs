namespace Harmony.Orchestrator.Planning;

internal enum RunMode
{
    SeparateProcess,
    SameProcess,
}

internal static class RunModeNames
{
    public static string Name(this RunMode mode) => mode == RunMode.SameProcess ? "same-process" : "separate-process";

    /// <summary>Parses the <c>--mode</c> value: separate-process, same-process or both.</summary>
    public static IReadOnlyList<RunMode>? Parse(string value) => value.ToLowerInvariant() switch
    {
        "separate-process" or "separate" => [RunMode.SeparateProcess],
        "same-process" or "same" => [RunMode.SameProcess],
        "both" => [RunMode.SeparateProcess, RunMode.SameProcess],
        _ => null,
    };
}
