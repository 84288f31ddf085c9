using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Planning;

/// <summary>ORCHESTRATION.md "Tags with a cost are off by default": planned, skipped with the reason, unless enabled.</summary>
public class CostlyTagTests
{
    private static readonly IReadOnlyList<RoutedScenario> Scenarios = StepRouter.RouteAll(FeatureText.Scenarios("""
        Feature: Edge cases
          Scenario: Test 5.1 - Short
            Given the 'reader' process does a
            And the 'writer' process does b
          @long
          Scenario: Test 5.1 - Short at full length
            Given the 'reader' process does a
            And the 'writer' process does b
          @stress @benchmark
          Scenario: Test 5.2 - Both
            Given the 'reader' process does a
          @separate-process @long
          Scenario: Test 5.3 - Long crash
            Given the 'reader' process does a
            When the 'writer' process is killed
        """, "05-edge-cases.feature"));

    private static IReadOnlyList<TestCase> Plan(IReadOnlySet<string> enabled, string mode = "both", string? tags = null) =>
        CombinationPlanner.Plan(Scenarios, new PlanRequest(
            ["csharp"], new PlatformSelection.All(), [], tags is null ? null : TagExpression.Parse(tags), RunModeNames.Parse(mode)!)
        {
            EnabledCostlyTags = enabled,
        });

    private static string? Skip(IReadOnlyList<TestCase> cases, string name, RunMode mode) =>
        cases.Single(c => c.Routed.Scenario.Name == name && c.Mode == mode).SkipReason;

    [Fact]
    public void Costly_scenarios_are_planned_but_skipped_with_the_switch_to_use()
    {
        var cases = Plan(CostlyTags.Enabled(null));

        Assert.Equal(8, cases.Count); // 4 scenarios x 2 modes on one platform: nothing is left out of the plan
        Assert.Null(Skip(cases, "Test 5.1 - Short", RunMode.SeparateProcess));
        Assert.Equal("@long is off by default: run with --long or --tags @long",
            Skip(cases, "Test 5.1 - Short at full length", RunMode.SeparateProcess));
        Assert.Equal("@stress, @benchmark are off by default: run with --stress or --tags @stress; --bench or --tags @benchmark",
            Skip(cases, "Test 5.2 - Both", RunMode.SameProcess));
        Assert.All(cases.Where(c => c.SkipReason is not null), c => Assert.True(
            CostlyTags.IsCostlySkip(c.SkipReason) || c.SkipReason!.Contains("@separate-process", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_switch_turns_its_tag_on_and_other_skips_stay()
    {
        var cases = Plan(CostlyTags.Enabled(null, runLong: true));

        Assert.Null(Skip(cases, "Test 5.1 - Short at full length", RunMode.SameProcess));
        Assert.Null(Skip(cases, "Test 5.3 - Long crash", RunMode.SeparateProcess));
        Assert.Contains("@separate-process", Skip(cases, "Test 5.3 - Long crash", RunMode.SameProcess));
        Assert.Contains("--stress", Skip(cases, "Test 5.2 - Both", RunMode.SeparateProcess));
        Assert.Equal("@benchmark is off by default: run with --bench or --tags @benchmark",
            Plan(CostlyTags.Enabled(null, stress: true)).First(c => c.Routed.Scenario.Name == "Test 5.2 - Both").SkipReason);
        Assert.Null(Plan(CostlyTags.Enabled(null, stress: true, bench: true)).First(c => c.Routed.Scenario.Name == "Test 5.2 - Both").SkipReason);
    }

    [Theory]
    [InlineData("@long", new[] { "@long" })]
    [InlineData("@long or not @long", new[] { "@long" })]
    [InlineData("(@stress and @benchmark)", new[] { "@stress", "@benchmark" })]
    [InlineData("@separate-process", new string[0])]
    [InlineData("@LONG", new[] { "@long" })]
    public void Tags_naming_a_costly_tag_enable_it(string expression, string[] enabled)
    {
        Assert.Equal(enabled.OrderBy(t => t), CostlyTags.Enabled(expression).Select(t => t.ToLowerInvariant()).OrderBy(t => t));
    }

    [Fact]
    public void Tags_select_and_enable_together()
    {
        var cases = Plan(CostlyTags.Enabled("@long"), mode: "separate-process", tags: "@long");

        Assert.Equal(["Test 5.1 - Short at full length", "Test 5.3 - Long crash"], cases.Select(c => c.Routed.Scenario.Name));
        Assert.All(cases, c => Assert.Null(c.SkipReason));
    }
}
