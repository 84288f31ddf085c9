namespace Harmony.Orchestrator.Planning;

/// <summary>One planned run: a scenario × a platform combination × a mode. Skipped cases carry the reason.</summary>
internal sealed record TestCase(RoutedScenario Routed, Combination Combination, RunMode Mode, string? SkipReason)
{
    /// <summary>The JUnit/console name: <c>Test 1.1 - ... [csharp_python: reader=csharp, writer=python]</c>.</summary>
    public string DisplayName => $"{Routed.Scenario.Name} [{Combination.Label}]";

    /// <summary>Groups cases in reports and JUnit suites: combination + mode.</summary>
    public string SuiteName => $"{Combination.Name} ({Mode.Name()})";

    /// <summary>Stable identity used for ordering and sharding.</summary>
    public string Key => $"{Routed.Scenario.Key}|{Combination.Name}|{Mode.Name()}";
}
