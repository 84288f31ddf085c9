using System.Xml.Linq;
using Harmony.Orchestrator.Execution;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Reporting;

public class JUnitWriterTests
{
    private static readonly RoutedScenario[] Routed = StepRouter.RouteAll(FeatureText.Scenarios("""
        Feature: F
          Scenario: Test 1.1 - Passes
            Given the 'reader' process does a
            And the 'writer' process does b
          Scenario: Test 1.2 - Fails
            Given the 'reader' process does a
            And the 'writer' process does b
        """)).ToArray();

    private static TestCase Case(int index, string reader, string writer, RunMode mode, string? skip = null) =>
        new(Routed[index], new Combination(["reader", "writer"], [reader, writer]), mode, skip);

    private static IReadOnlyList<StepRecord> Steps(RoutedScenario routed, params Outcome[] outcomes) =>
        routed.Steps.Zip(outcomes, (step, outcome) => new StepRecord(step, outcome, TimeSpan.FromMilliseconds(1), [])).ToList();

    [Fact]
    public void One_suite_per_combination_and_mode_one_testcase_per_scenario()
    {
        var failing = Case(1, "csharp", "python", RunMode.SeparateProcess);
        var results = new List<ScenarioResult>
        {
            new(Case(0, "csharp", "python", RunMode.SeparateProcess), Outcome.Passed, TimeSpan.FromMilliseconds(120), "h0123456789",
                null, ["12:00:00.000 [reader/csharp] info: hello"], [], Steps(Routed[0], Outcome.Passed, Outcome.Passed)),
            new(failing, Outcome.Failed, TimeSpan.FromMilliseconds(80), "h0123456789",
                new StepFailure(failing.Routed.Steps[1], "worker 'writer' (python, pid 7): expected 3 frames, got 2", "AssertionFailed",
                    ["[writer/python] stderr: boom"]),
                ["a log line \u0001 with a control char"], ["leaked resource removed after the scenario: /dev/shm/h0123456789-x"],
                Steps(failing.Routed, Outcome.Passed, Outcome.Failed)),
            ScenarioResult.Skipped(Case(0, "csharp", "csharp", RunMode.SameProcess, "needs separate processes"), "needs separate processes"),
        };

        var document = XDocument.Parse(JUnitWriter.Build(results, TimeSpan.FromSeconds(1)).ToString());
        var root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("3", root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
        Assert.Equal("1", root.Attribute("skipped")!.Value);

        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(["csharp_python (separate-process)", "csharp_csharp (same-process)"], suites.Select(s => s.Attribute("name")!.Value));
        var cases = suites[0].Elements("testcase").ToList();
        Assert.Equal("Test 1.1 - Passes [csharp_python: reader=csharp, writer=python]", cases[0].Attribute("name")!.Value);
        Assert.Equal("0.120", cases[0].Attribute("time")!.Value);
        Assert.Contains("hello", cases[0].Element("system-out")!.Value);

        var failure = cases[1].Element("failure")!;
        Assert.StartsWith("step 2 \"And the 'writer' process does b\" (test.feature:7): worker 'writer'", failure.Attribute("message")!.Value);
        Assert.Equal("AssertionFailed", failure.Attribute("type")!.Value);
        Assert.Contains("stderr: boom", failure.Value);
        Assert.Contains("leaked resource", cases[1].Element("system-out")!.Value);

        var skipped = suites[1].Element("testcase")!.Element("skipped")!;
        Assert.Equal("needs separate processes", skipped.Attribute("message")!.Value);
    }

    [Fact]
    public void Write_creates_the_directory_and_valid_xml()
    {
        var directory = Directory.CreateTempSubdirectory("harmony-junit-");
        try
        {
            var path = Path.Combine(directory.FullName, "sub", "out.junit.xml");
            JUnitWriter.Write(path, [ScenarioResult.Skipped(Case(0, "cpp", "cpp", RunMode.SameProcess, "r"), "r")], TimeSpan.Zero);
            Assert.Equal("testsuites", XDocument.Load(path).Root!.Name.LocalName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
