using System.Xml.Linq;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Cli;

/// <summary>--long / --stress / --bench and --tags on the command line, and how a costly skip is reported.</summary>
[Collection(Execution.ProcessTests.Name)]
public class CostlyTagOptionsTests
{
    private const string Features = """
        Feature: Fake
          Scenario: Test 1.1 - Short
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
          @long
          Scenario: Test 1.1 - Short at full length
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
          @stress
          Scenario: Test 1.2 - Stress
            Given the 'reader' process succeeds
        """;

    [Fact]
    public async Task Costly_scenarios_are_skipped_with_the_reason_in_the_console_and_junit()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        string junit = Path.Combine(harness.Root, "out.xml");
        var run = await harness.RunAsync("csharp_python", "1.*", "--junit", junit);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("skipped", run.Stdout);
        Assert.Contains("@long is off by default: run with --long or --tags @long", run.Stdout);
        Assert.Contains("@stress is off by default: run with --stress or --tags @stress", run.Stdout);
        var cases = XDocument.Load(junit).Descendants("testcase").ToList();
        Assert.Equal(3, cases.Count);
        var skipped = cases.Where(c => c.Element("skipped") is not null).ToList();
        Assert.Equal(2, skipped.Count);
        Assert.Contains(skipped, c => c.Element("skipped")!.Attribute("message")!.Value.Contains("--long", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--long" }, new[] { "Test 1.1 - Short", "Test 1.1 - Short at full length" })]
    [InlineData(new[] { "--stress" }, new[] { "Test 1.1 - Short", "Test 1.2 - Stress" })]
    [InlineData(new[] { "--tags", "@long" }, new[] { "Test 1.1 - Short at full length" })]
    [InlineData(new[] { "--long", "--stress" }, new[] { "Test 1.1 - Short", "Test 1.1 - Short at full length", "Test 1.2 - Stress" })]
    public async Task Switches_and_tags_turn_costly_scenarios_on(string[] options, string[] ran)
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        string junit = Path.Combine(harness.Root, "out.xml");
        var run = await harness.RunAsync(["csharp_python", "1.*", "--junit", junit, .. options]);

        Assert.Equal(0, run.ExitCode);
        var passed = XDocument.Load(junit).Descendants("testcase")
            .Where(c => !c.Elements().Any(e => e.Name == "skipped" || e.Name == "failure" || e.Name == "error"))
            .Select(c => c.Attribute("name")!.Value[..c.Attribute("name")!.Value.IndexOf(" [", StringComparison.Ordinal)])
            .ToList();
        Assert.Equal(ran, passed);
    }

    [Fact]
    public async Task A_selection_of_costly_scenarios_only_says_why_nothing_ran()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var run = await harness.RunAsync("csharp_python", "1.2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--stress", run.Output);
    }
}
