using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;

namespace Harmony.Orchestrator.Tests.Support;

/// <summary>Builds scenarios from inline feature text.</summary>
internal static class FeatureText
{
    public static IReadOnlyList<ScenarioCase> Scenarios(string text, string file = "test.feature")
    {
        var loaded = FeatureLoader.LoadText(file, text);
        Assert.True(loaded.Errors.Count == 0, "unexpected errors: " + string.Join("; ", loaded.Errors));
        return loaded.Scenarios;
    }

    public static IReadOnlyList<FeatureError> Errors(string text, string file = "bad.feature") =>
        FeatureLoader.LoadText(file, text).Errors;

    public static RoutedScenario Routed(string text)
    {
        var scenario = Assert.Single(Scenarios(text));
        var (routed, errors) = StepRouter.Route(scenario);
        Assert.True(errors.Count == 0, "unexpected routing errors: " + string.Join("; ", errors));
        return routed!;
    }

    /// <summary>A feature with one scenario holding the given step lines.</summary>
    public static string Feature(params string[] steps) =>
        "Feature: F\n  Scenario: Test 9.9 - S\n" + string.Concat(steps.Select(s => $"    {s}\n"));
}
