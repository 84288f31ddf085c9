using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.StepDefinitions;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.StepDefinitions;

/// <summary>Every worker step of features/*.feature has exactly one definition here.</summary>
public sealed class FeatureCoverageTests
{
    private static StepRegistry Registry()
    {
        var services = new ServiceCollection();
        services.AddZeroBufferSteps();
        return (StepRegistry)services.Single(d => d.ServiceType == typeof(StepRegistry)).ImplementationInstance!;
    }

    private static StepMatcher Matcher() => new(Registry());

    [Fact]
    public void The_features_are_found()
    {
        IReadOnlyList<FeatureScenario> scenarios = FeatureScenarios.All();
        Assert.True(scenarios.Count >= 15, $"only {scenarios.Count} scenarios under {FeatureScenarios.Directory()}");
        Assert.Contains(scenarios, s => s.Name.StartsWith("Test 1.1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_word_index_finds_what_trying_every_pattern_finds_for_every_feature_step()
    {
        StepRegistry registry = Registry();
        StepMatcher matcher = new(registry);
        var problems = new List<string>();
        foreach (FeatureScenario scenario in FeatureScenarios.All())
        {
            foreach ((string _, string text) in scenario.Steps.Where(s => !FeatureScenarios.IsOrchestratorStep(s.Text)))
            {
                var everyMatch = registry.Valid.Where(b => b.Regex!.IsMatch(text)).ToList();
                StepMatch match = matcher.Match(text);
                IReadOnlyList<StepBinding> found = match.Kind switch
                {
                    StepMatchKind.Matched => [match.Binding!],
                    StepMatchKind.Ambiguous => match.Candidates,
                    _ => [],
                };
                if (!found.SequenceEqual(everyMatch))
                {
                    problems.Add($"{scenario}: {text}: index {string.Join(", ", found)}; scan {string.Join(", ", everyMatch)}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_worker_step_matches_exactly_one_definition()
    {
        StepMatcher matcher = Matcher();
        var problems = new List<string>();
        foreach (FeatureScenario scenario in FeatureScenarios.All())
        {
            foreach ((string _, string text) in scenario.Steps.Where(s => !FeatureScenarios.IsOrchestratorStep(s.Text)))
            {
                StepMatch match = matcher.Match(text);
                if (match.Kind != StepMatchKind.Matched)
                {
                    problems.Add($"{scenario}: {match.Kind}: {text}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("the 'reader' process is killed", true)]
    [InlineData("the 'writer' process crashes while writing", true)]
    [InlineData("a new 'reader' process is started", true)]
    [InlineData("a new 'writer' process is started as user 'nobody'", true)]
    [InlineData("a new 'reader' process is started with a private /dev/shm of '32' KB", true)]
    [InlineData("a new 'reader' process is started with a private /dev/shm of '1024' KB and '4' files", true)]
    [InlineData("wait for '200' ms", true)]
    [InlineData("the 'reader' process creates buffer 'x' with metadata size '1' and payload size '2'", false)]
    public void Orchestrator_steps_are_told_apart(string text, bool orchestrator)
    {
        Assert.Equal(orchestrator, FeatureScenarios.IsOrchestratorStep(text));
    }
}
