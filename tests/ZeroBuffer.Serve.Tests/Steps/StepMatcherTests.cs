using Harmony.Protocol.Phrases;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.TestSubjects;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class StepMatcherTests
{
    private static readonly StepMatcher Matcher = new(StepRegistryBuilder.FromTypes([typeof(SampleSteps), typeof(BrokenSteps)]));

    [Fact]
    public void Full_match_returns_the_binding_and_captures_in_order()
    {
        StepMatch match = Matcher.Match("the 'writer-2' process has '-3' apples");

        Assert.Equal(StepMatchKind.Matched, match.Kind);
        Assert.Equal(nameof(SampleSteps.Apples), match.Binding!.Method.Name);
        Assert.Equal(["writer-2", "-3"], match.Captures);
    }

    [Theory]
    [InlineData("the 'reader' process has '3' apples and more")]
    [InlineData("And the 'reader' process has '3' apples")]
    [InlineData("the 'reader' process has 'three' apples")]
    public void Partial_or_prefixed_text_does_not_match(string text)
    {
        Assert.Equal(StepMatchKind.NotFound, Matcher.Match(text).Kind);
    }

    [Fact]
    public void Not_found_suggests_the_closest_patterns_first()
    {
        StepMatch match = Matcher.Match("the 'reader' process has '3' apple");

        Assert.Equal(StepMatchKind.NotFound, match.Kind);
        Assert.Equal(StepMatcher.SuggestionCount, match.Candidates.Count);
        Assert.Equal(nameof(SampleSteps.Apples), match.Candidates[0].Method.Name);
        string message = StepErrors.NotFound("the 'reader' process has '3' apple", match.Candidates);
        // Gherkin text with the asked step's role, not the regex.
        Assert.Contains("Did you mean: \"the 'reader' process has '<number>' apples\" (", message, StringComparison.Ordinal);
        Assert.DoesNotContain("[^']", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_bindings_never_match_or_get_suggested()
    {
        Assert.Equal(StepMatchKind.NotFound, Matcher.Match("a bad return").Kind);
        Assert.DoesNotContain(Matcher.Closest("a bad return"), b => !b.IsValid);
    }

    [Fact]
    public void Text_that_hits_an_invalid_binding_is_told_why()
    {
        StepMatch match = Matcher.Match("two groups '1' '2'");

        Assert.Equal(StepMatchKind.NotFound, match.Kind);
        StepBinding broken = Assert.Single(match.BrokenMatches);
        Assert.Equal(nameof(BrokenSteps.TooFewParameters), broken.Method.Name);
        string message = StepErrors.NotFound("two groups '1' '2'", match.Candidates, match.BrokenMatches);
        Assert.Contains("which is invalid: pattern", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_matching_patterns_are_ambiguous_and_both_listed()
    {
        StepMatch match = Matcher.Match("ambiguous 'abc'");

        Assert.Equal(StepMatchKind.Ambiguous, match.Kind);
        Assert.Equal(2, match.Candidates.Count);
        string message = StepErrors.Ambiguous("ambiguous 'abc'", match.Candidates);
        Assert.Contains(nameof(SampleSteps.AmbiguousOne), message, StringComparison.Ordinal);
        Assert.Contains(nameof(SampleSteps.AmbiguousTwo), message, StringComparison.Ordinal);

        Assert.Equal(StepMatchKind.Matched, Matcher.Match("ambiguous 'ABC'").Kind);
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    public void Edit_distance_is_levenshtein(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }

    [Fact]
    public void Skeleton_drops_groups_and_escapes()
    {
        Assert.Equal("the '' process writes '' frames", StepMatcher.Skeleton("the '([^']+)' process writes '(\\d+)' frames"));
        Assert.Equal("a.b", StepMatcher.Skeleton("^a\\.b$"));
        Assert.Equal("x '' y", StepMatcher.WithoutQuotedValues("x 'abc' y"));
    }

    [Theory]
    [InlineData("' process has '", new[] { "process", "has" })]
    [InlineData("ms delay", new string[0])]
    [InlineData(" frames in order ", new[] { "frames", "in", "order" })]
    [InlineData("ready", new string[0])]
    [InlineData("", new string[0])]
    public void Key_words_are_the_words_whitespace_bounds_inside_the_required_text(string requiredText, string[] expected)
    {
        // A word at an edge may be glued to a group's capture ("'(\\d+)ms delay"), so it is no key.
        Assert.Equal(expected, StepMatcher.KeyWords(requiredText));
    }
}
