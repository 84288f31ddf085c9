using System.Text.RegularExpressions;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Cli;

/// <summary>What Cucumber users expect of the command line (issue 14 §2).</summary>
[Collection(Execution.ProcessTests.Name)]
public class CucumberOptionsTests
{
    // Line numbers matter: scenario 1.1 is on line 2, the outline on line 5, its rows on lines 10 and 11, 1.3 on 12.
    private const string Features = """
        Feature: Fake
          Scenario: Test 1.1 - Alpha passes
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
          Scenario Outline: Test 1.2 - Beta <what>
            Given the 'reader' process succeeds
            And the 'writer' process <what>
            Examples:
              | what                 |
              | succeeds             |
              | fails with 'beta'    |
          Scenario: Test 1.3 - Gamma fails
            Given the 'reader' process fails with 'gamma'
            And the 'writer' process succeeds
        """;

    private static string FeatureFile(HarmonyHarness harness) => Path.Combine(harness.FeaturesDirectory, "01-fake.feature");

    private static IReadOnlyList<string> Listed(HarmonyOutcome run) =>
        Regex.Matches(run.Stdout, @"^(Test [^\[]+?) \[", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Name_selects_scenarios_by_regular_expression()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var run = await harness.RunAsync("csharp_python", "--name", "^Test 1\\.[13] ", "--list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Test 1.1 - Alpha passes", "Test 1.3 - Gamma fails"], Listed(run));
        var bad = await harness.RunAsync("csharp_python", "--name", "(", "--list");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--name '(' is not a regular expression", bad.Stderr);
    }

    [Theory]
    [InlineData(2, new[] { "Test 1.1 - Alpha passes" })]
    [InlineData(4, new[] { "Test 1.1 - Alpha passes" })]
    [InlineData(5, new[] { "Test 1.2 - Beta succeeds (what=succeeds)", "Test 1.2 - Beta fails with 'beta' (what=fails with 'beta')" })]
    [InlineData(11, new[] { "Test 1.2 - Beta fails with 'beta' (what=fails with 'beta')" })]
    [InlineData(13, new[] { "Test 1.3 - Gamma fails" })]
    public async Task File_and_line_selects_a_scenario_or_an_example_row(int line, string[] expected)
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var run = await harness.RunAsync("csharp_python", $"{FeatureFile(harness)}:{line}", "--list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, Listed(run));
    }

    [Fact]
    public async Task Failures_are_listed_as_commands_written_to_the_rerun_file_and_run_again_from_it()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var rerun = Path.Combine(harness.Root, "rerun.txt");
        var run = await harness.RunAsync("csharp_python", "--rerun", rerun);

        Assert.Equal(1, run.ExitCode);
        var file = FeatureFile(harness);
        string[] expected = [$"csharp_python {file}:11 --mode separate-process", $"csharp_python {file}:12 --mode separate-process"];
        Assert.Equal(expected, File.ReadAllLines(rerun));
        Assert.Contains("Failing scenarios:", run.Stdout);
        Assert.Contains($"  ./test.sh {expected[0]}  # Test 1.2 - Beta fails with 'beta'", run.Stdout);
        Assert.Contains($"  ./test.sh {expected[1]}  # Test 1.3 - Gamma fails", run.Stdout);

        foreach (var args in new[] { new[] { "--rerun-from", rerun }, new[] { "@" + rerun } })
        {
            var again = await harness.RunAsync(args);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("0 passed, 2 failed, 0 skipped", again.Stdout);
            Assert.Contains("✗ Test 1.2 - Beta fails with 'beta' (what=fails with 'beta') [csharp_python: reader=csharp, writer=python] separate-process", again.Stdout);
            Assert.Contains("✗ Test 1.3 - Gamma fails [csharp_python: reader=csharp, writer=python] separate-process", again.Stdout);
        }
    }

    [Fact]
    public async Task A_bad_rerun_file_is_a_usage_error()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var rerun = Path.Combine(harness.Root, "rerun.txt");
        File.WriteAllText(rerun, "csharp_python 1.1\n");
        var run = await harness.RunAsync("--rerun-from", rerun);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{rerun}:1: expected '<pair> <file>.feature:<line> --mode <mode>'", run.Stderr);
    }

    [Fact]
    public async Task Fail_fast_starts_nothing_after_the_first_failure()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var run = await harness.RunAsync("csharp_python", "--fail-fast");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("1 failed", run.Stdout);
        Assert.DoesNotContain("Gamma", run.Stdout.Split("Failing scenarios:")[0]);
        Assert.Contains("harmony: --fail-fast: stopped after a failure; 1 test case(s) not run", run.Stdout);
        Assert.DoesNotContain(run.Requests("executeStep"), e => e.GetProperty("params").GetProperty("step").GetString()!.Contains("gamma"));
    }

    [Fact]
    public async Task Every_console_line_carries_a_progress_counter()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Features);
        var run = await harness.RunAsync("csharp_python");

        var counters = Regex.Matches(run.Stdout, @"^\[(\d)/4\] [✓✗]", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["1", "2", "3", "4"], counters);
    }
}
