using Harmony.Orchestrator.Cli;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Planning;

public class CombinationPlannerTests
{
    private static readonly string[] Platforms = ["csharp", "python", "cpp"];

    private static readonly IReadOnlyList<RoutedScenario> Scenarios = StepRouter.RouteAll(FeatureText.Scenarios("""
        Feature: Basic communication
          Scenario: Test 1.1 - Two kinds
            Given the 'reader' process does a
            And the 'writer' process does b
          Scenario: Test 1.10 - Two kinds again
            Given the 'writer' process does a
            And the 'reader' process does b
          Scenario: Test 3.3 - One kind
            Then the 'writer' process does a
          @separate-process
          Scenario: Test 2.1 - Crash
            Given the 'reader' process does a
            When the 'writer' process is killed
          Scenario: Test 5.1 - Duplex
            Given the 'server' process does a
            And the 'client' process does b
        """, "01-basic-communication.feature"));

    private static IReadOnlyList<TestCase> Plan(string mode = "separate-process", string? tags = null, params string[] positionals)
    {
        var (selection, filters) = PlanBuilder.Classify(positionals, Platforms);
        return CombinationPlanner.Plan(Scenarios, new PlanRequest(
            Platforms, selection, filters, tags is null ? null : TagExpression.Parse(tags), RunModeNames.Parse(mode)!));
    }

    [Fact]
    public void Pair_names_map_to_sorted_kinds()
    {
        var cases = Plan(positionals: ["csharp_python", "1.1"]);
        var only = Assert.Single(cases);
        Assert.Equal("csharp_python", only.Combination.Name);
        Assert.Equal("csharp_python: reader=csharp, writer=python", only.Combination.Label);
        Assert.Equal("csharp", only.Combination.PlatformOf("reader"));
        Assert.Equal("python", only.Combination.PlatformOf("writer"));
        Assert.Equal("csharp", only.Combination.PlatformOf("reader-2"));
        Assert.Equal("Test 1.1 - Two kinds [csharp_python: reader=csharp, writer=python]", only.DisplayName);
    }

    [Fact]
    public void Duplex_client_takes_the_first_platform()
    {
        var duplex = Assert.Single(Plan(positionals: ["python_cpp", "5.1"]));
        Assert.Equal("python_cpp: client=python, server=cpp", duplex.Combination.Label);
    }

    [Fact]
    public void Test_number_never_matches_a_longer_number()
    {
        Assert.All(Plan(positionals: ["1.1"]), c => Assert.Equal("1.1", c.Routed.Scenario.Id));
        Assert.All(Plan(positionals: ["1.10"]), c => Assert.Equal("1.10", c.Routed.Scenario.Id));
        Assert.Equal(["1.1", "1.10"], Plan(positionals: ["csharp_cpp", "1.*"]).Select(c => c.Routed.Scenario.Id));
        Assert.Equal(["1.1", "1.10"], Plan(positionals: ["csharp_cpp", "1"]).Select(c => c.Routed.Scenario.Id));
    }

    [Fact]
    public void One_kind_scenarios_run_once_per_platform_or_once_under_a_pair()
    {
        Assert.Equal(["csharp", "python", "cpp"], Plan(positionals: ["3.3"]).Select(c => c.Combination.Name));
        Assert.Equal(["csharp"], Plan(positionals: ["csharp_python", "3.3"]).Select(c => c.Combination.Name));
        Assert.Equal(["python"], Plan(positionals: ["python", "3.3"]).Select(c => c.Combination.Name));
        Assert.Equal(["python"], Plan(positionals: ["python_csharp", "3.3"]).Select(c => c.Combination.Name));
    }

    [Fact]
    public void All_runs_every_pair_and_a_platform_runs_pairs_containing_it()
    {
        Assert.Equal(9, Plan(positionals: ["all", "1.1"]).Count);
        Assert.Equal(9, Plan(positionals: ["1.1"]).Count);
        var python = Plan(positionals: ["python", "1.1"]).Select(c => c.Combination.Name).ToList();
        Assert.Equal(["csharp_python", "python_csharp", "python_python", "python_cpp", "cpp_python"], python);
    }

    [Fact]
    public void Feature_names_select_by_stem_or_title_case_insensitively()
    {
        var byStem = Plan(positionals: ["csharp_csharp", "01-BASIC-communication"]);
        var byTitle = Plan(positionals: ["csharp_csharp", "basic communication"]);
        Assert.Equal(5, byStem.Count);
        Assert.Equal(byStem.Select(c => c.Key), byTitle.Select(c => c.Key));
    }

    [Fact]
    public void Same_process_mode_skips_mixed_pairs_and_separate_process_scenarios()
    {
        var cases = Plan("both", null, "all", "2.1");
        Assert.Equal(9 + 3, cases.Count);
        var same = cases.Where(c => c.Mode == RunMode.SameProcess).ToList();
        Assert.All(same, c => Assert.True(c.Combination.IsUniform));
        Assert.All(same, c => Assert.Contains("@separate-process", c.SkipReason));
        Assert.All(cases.Where(c => c.Mode == RunMode.SeparateProcess), c => Assert.Null(c.SkipReason));
        var pairOnly = Plan("same-process", null, "csharp_python", "1.1");
        Assert.Empty(pairOnly);
        var uniform = Assert.Single(Plan("same-process", null, "csharp_csharp", "1.1"));
        Assert.Null(uniform.SkipReason);
    }

    [Theory]
    [InlineData("@separate-process", new[] { "2.1" })]
    [InlineData("not @separate-process", new[] { "1.1", "1.10", "3.3", "5.1" })]
    [InlineData("@separate-process or not @separate-process", new[] { "1.1", "1.10", "3.3", "2.1", "5.1" })]
    [InlineData("@separate-process and not (@a or @separate-process)", new string[0])]
    public void Tag_expressions_filter_scenarios(string expression, string[] ids)
    {
        Assert.Equal(ids, Plan(tags: expression, positionals: ["csharp_csharp"]).Select(c => c.Routed.Scenario.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    public void Shards_partition_the_plan(int count)
    {
        var cases = Plan("both", null, "all");
        var shards = Enumerable.Range(1, count).Select(i => CombinationPlanner.Shard(cases, i, count)).ToList();
        var union = shards.SelectMany(s => s.Select(c => c.Key)).ToList();
        Assert.Equal(cases.Count, union.Count);
        Assert.Equal(cases.Select(c => c.Key).Order(), union.Order());
        Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1);
        // Deterministic: the same shard twice is the same list.
        Assert.Equal(shards[0].Select(c => c.Key), CombinationPlanner.Shard(cases, 1, count).Select(c => c.Key));
    }

    [Fact]
    public void Bad_shard_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CombinationPlanner.Shard([], 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CombinationPlanner.Shard([], 0, 2));
    }

    [Fact]
    public void Unknown_platform_in_a_pair_is_a_usage_error()
    {
        var ex = Assert.Throws<UsageException>(() => PlanBuilder.Classify(["csharp_java"], Platforms));
        Assert.Contains("'java'", ex.Message);
        Assert.Throws<UsageException>(() => PlanBuilder.Classify(["csharp", "python"], Platforms));
    }

    [Fact]
    public void Only_configured_platforms_are_used()
    {
        var (selection, filters) = PlanBuilder.Classify(["1.1"], ["csharp", "python"]);
        var cases = CombinationPlanner.Plan(Scenarios, new PlanRequest(["csharp", "python"], selection, filters, null, [RunMode.SeparateProcess]));
        Assert.Equal(4, cases.Count);
        Assert.DoesNotContain(cases, c => c.Combination.Platforms.Contains("cpp"));
    }
}
