using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.TestSubjects;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class StepArgumentConverterTests
{
    [Theory]
    [InlineData("42", typeof(int), 42)]
    [InlineData("-7", typeof(int), -7)]
    [InlineData("9000000000", typeof(long), 9000000000L)]
    [InlineData("18446744073709551615", typeof(ulong), ulong.MaxValue)]
    [InlineData("text with spaces", typeof(string), "text with spaces")]
    [InlineData("", typeof(string), "")]
    [InlineData("true", typeof(bool), true)]
    [InlineData("No", typeof(bool), false)]
    [InlineData("2.5", typeof(double), 2.5)]
    public void Converts_scalars_with_the_invariant_culture(string value, Type type, object expected)
    {
        Assert.Equal(expected, StepArgumentConverter.ConvertValue(value, type, "p"));
    }

    [Theory]
    [InlineData("red", Colour.Red)]
    [InlineData("RED", Colour.Red)]
    [InlineData("dark-blue", Colour.DarkBlue)]
    [InlineData("Dark Blue", Colour.DarkBlue)]
    public void Converts_enums_by_name_ignoring_case_and_separators(string value, Colour expected)
    {
        Assert.Equal(expected, StepArgumentConverter.ConvertValue(value, typeof(Colour), "p"));
    }

    [Fact]
    public void Nullable_takes_null_for_an_empty_capture()
    {
        Assert.Null(StepArgumentConverter.ConvertValue("", typeof(int?), "p"));
        Assert.Equal(5, StepArgumentConverter.ConvertValue("5", typeof(int?), "p"));
    }

    [Theory]
    [InlineData("abc", typeof(int), "'abc' is not a valid Int32 for parameter 'size'")]
    [InlineData("99999999999", typeof(int), "is not a valid Int32")]
    [InlineData("1", typeof(Colour), "'1' is not one of Red, DarkBlue")]
    [InlineData("maybe", typeof(bool), "not a valid Boolean")]
    public void Bad_values_name_value_type_and_parameter(string value, Type type, string expected)
    {
        var ex = Assert.Throws<StepArgumentException>(() => StepArgumentConverter.ConvertValue(value, type, "size"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiline_arguments_and_the_token_fill_their_parameters()
    {
        var table = new StepTable(["name"], [["a"]]);
        var request = new StepRequest("a table", "given", "Given", table, null, null, "1");
        object?[] args = StepArgumentConverter.Convert(typeof(SampleSteps).GetMethod(nameof(SampleSteps.Table))!, [], request, default);
        Assert.Same(table, Assert.Single(args));

        using var cts = new CancellationTokenSource();
        object?[] withToken = StepArgumentConverter.Convert(typeof(SampleSteps).GetMethod(nameof(SampleSteps.AsyncStep))!, ["3"], request with { Table = null }, cts.Token);
        Assert.Equal([3, cts.Token], withToken);
    }

    [Fact]
    public void Missing_or_unexpected_multiline_arguments_are_errors()
    {
        var bare = new StepRequest("a table", "given", "Given", null, null, null, "1");
        Assert.Contains("needs a data table", Assert.Throws<StepArgumentException>(() =>
            StepArgumentConverter.Convert(typeof(SampleSteps).GetMethod(nameof(SampleSteps.Table))!, [], bare, default)).Message, StringComparison.Ordinal);

        var withDoc = bare with { DocString = new StepDocString("x", null) };
        Assert.Contains("got a doc string", Assert.Throws<StepArgumentException>(() =>
            StepArgumentConverter.Convert(typeof(SampleSteps).GetMethod(nameof(SampleSteps.Asserts))!, [], withDoc, default)).Message, StringComparison.Ordinal);
    }
}
