using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.StepDefinitions;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class RequiredLiteralTests
{
    [Theory]
    [InlineData("the '([^']+)' process is ready", "' process is ready")]
    [InlineData("the '([^']+)' process writes '(\\d+)' frames", "' process writes '")]
    [InlineData("plain text", "plain text")]
    [InlineData("frames? of size", " of size")] // the quantified 's' is optional
    [InlineData("ab{2}cdef", "cdef")] // neither 'b' nor the count is fixed text
    [InlineData("x\\.y\\d+z", "x.y")] // an escaped dot is a dot; \d is a class
    [InlineData("(?:reader|writer) closes its [a-z]+ now", " closes its ")]
    [InlineData("one (two)? three", " three")]
    [InlineData("a.b", "a")]
    public void The_longest_fixed_run_at_the_top_level(string pattern, string expected)
    {
        Assert.Equal(expected, RequiredLiteral.Of(pattern));
    }

    [Theory]
    [InlineData("starts|stops writing")] // a top-level alternative needs neither side's text
    [InlineData("(?i)case insensitive text")]
    [InlineData("")]
    public void Patterns_it_cannot_vouch_for_get_none(string pattern)
    {
        Assert.Equal("", RequiredLiteral.Of(pattern));
    }

    [Fact]
    public void Every_feature_step_a_pattern_matches_contains_its_text()
    {
        var services = new ServiceCollection();
        services.AddZeroBufferSteps();
        var registry = (StepRegistry)services.Single(d => d.ServiceType == typeof(StepRegistry)).ImplementationInstance!;
        var misses = new List<string>();
        int matched = 0;
        foreach (FeatureScenario scenario in FeatureScenarios.All())
        {
            foreach ((string _, string text) in scenario.Steps)
            {
                foreach (StepBinding binding in registry.Valid.Where(b => b.Regex!.IsMatch(text)))
                {
                    matched++;
                    if (!text.Contains(binding.RequiredText, StringComparison.Ordinal))
                    {
                        misses.Add($"'{binding.Pattern}' matches \"{text}\" but its required text is \"{binding.RequiredText}\"");
                    }
                }
            }
        }

        Assert.True(matched > 100, $"only {matched} matched steps");
        Assert.Empty(misses);
        // The filter must do something: most patterns carry a fixed run beyond the role phrase.
        Assert.True(registry.Valid.Count(b => b.RequiredText.Length > "' process ".Length) > registry.Valid.Count * 3 / 4);
    }
}
