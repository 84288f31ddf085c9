using Harmony.Orchestrator.Planning;

namespace Harmony.Orchestrator.Tests.Planning;

public class TagExpressionTests
{
    [Theory]
    [InlineData("@a", "@a", true)]
    [InlineData("@a", "@b", false)]
    [InlineData("not @a", "@b", true)]
    [InlineData("@a and @b", "@a @b", true)]
    [InlineData("@a and @b", "@a", false)]
    [InlineData("@a or @b", "@b", true)]
    [InlineData("@a or @b and @c", "@a", true)]       // and binds tighter than or
    [InlineData("(@a or @b) and @c", "@a", false)]
    [InlineData("not @a and @b", "@b", true)]         // not binds tighter than and
    [InlineData("not (@a and @b)", "@a @b", false)]
    [InlineData("not not @a", "@a", true)]
    [InlineData("@A", "@a", true)]
    [InlineData("slow", "@slow", true)]
    public void Evaluates_with_cucumber_precedence(string expression, string tags, bool expected)
    {
        var set = tags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, TagExpression.Parse(expression).Evaluate(set));
    }

    [Theory]
    [InlineData("")]
    [InlineData("@a and")]
    [InlineData("(@a or @b")]
    [InlineData("@a @b")]
    [InlineData("or @a")]
    [InlineData("@a )")]
    public void Malformed_expressions_are_refused(string expression)
    {
        var ex = Assert.Throws<FormatException>(() => TagExpression.Parse(expression));
        Assert.Contains("invalid tag expression", ex.Message);
    }
}
