using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Results;
using Io.Cucumber.Messages.Types;
using TestCase = Harmony.Orchestrator.Planning.TestCase;

namespace Harmony.Orchestrator.Tests.Reporting;

public class CucumberMessagesTests
{
    [Fact]
    public void Skipped_case_is_all_skipped_steps_giving_the_reason_once()
    {
        var loaded = FeatureLoader.LoadText("f.feature", """
            Feature: F
              Scenario: Test 2.1 - Needs two pids
                Given the 'reader' process does a
                When the 'writer' process is killed
            """);
        var routed = StepRouter.RouteAll(loaded.Scenarios).Single();
        var testCase = new TestCase(routed, new Combination(["reader", "writer"], ["cpp", "cpp"]), RunMode.SameProcess, "needs separate processes");
        var features = new FeatureSet([loaded.Feature!], loaded.Scenarios, [loaded.Document!]);

        var messages = CucumberMessages.Build(features, [ScenarioResult.Skipped(testCase, "needs separate processes")],
            DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1)).ToList();

        var pickle = Assert.Single(messages, m => m.Pickle is not null).Pickle;
        Assert.Equal("Test 2.1 - Needs two pids [cpp_cpp: reader=cpp, writer=cpp] same-process", pickle.Name);
        var finished = messages.Where(m => m.TestStepFinished is not null).Select(m => m.TestStepFinished.TestStepResult).ToList();
        Assert.Equal(2, finished.Count);
        Assert.All(finished, r => Assert.Equal(TestStepResultStatus.SKIPPED, r.Status));
        Assert.Equal("needs separate processes", finished[0].Message);
        Assert.Null(finished[1].Message);
        Assert.True(messages.Single(m => m.TestRunFinished is not null).TestRunFinished.Success);
    }
}
