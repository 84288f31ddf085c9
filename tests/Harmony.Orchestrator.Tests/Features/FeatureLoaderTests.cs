using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Features;

public class FeatureLoaderTests
{
    [Fact]
    public void Scenario_id_name_steps_and_locations()
    {
        var scenario = Assert.Single(FeatureText.Scenarios("""
            # a comment before everything
            Feature: Basic
              Scenario: Test 1.10 - Ten
                Given the 'reader' process creates buffer 'b' with metadata size '1' and payload size '2'
                # a comment between steps
                And the 'writer' process connects to buffer 'b'
                Then the 'reader' process should see the writer connected
            """));
        Assert.Equal("1.10", scenario.Id);
        Assert.Equal("Test 1.10 - Ten", scenario.Name);
        Assert.Equal("Basic", scenario.Feature.Name);
        Assert.Equal("test", scenario.Feature.Stem);
        Assert.Equal(3, scenario.Steps.Count);
        Assert.Equal(["Given", "And", "Then"], scenario.Steps.Select(s => s.Keyword));
        Assert.Equal([StepKeywordKind.Given, StepKeywordKind.And, StepKeywordKind.Then], scenario.Steps.Select(s => s.KeywordKind));
        Assert.Equal("the 'writer' process connects to buffer 'b'", scenario.Steps[1].Text);
        Assert.Equal(new SourceLocation("test.feature", 6, 5), scenario.Steps[1].Location);
        Assert.Equal(3, scenario.Location.Line);
    }

    [Fact]
    public void Background_steps_come_first_in_every_scenario()
    {
        var scenarios = FeatureText.Scenarios("""
            Feature: F
              Background:
                Given the 'reader' process does setup
              Scenario: Test 1.1 - A
                When the 'writer' process does a
              Scenario: Test 1.2 - B
                When the 'writer' process does b
            """);
        Assert.Equal(2, scenarios.Count);
        foreach (var scenario in scenarios)
        {
            Assert.Equal("the 'reader' process does setup", scenario.Steps[0].Text);
            Assert.True(scenario.Steps[0].FromBackground);
            Assert.False(scenario.Steps[1].FromBackground);
        }
        Assert.Equal("the 'writer' process does b", scenarios[1].Steps[1].Text);
    }

    [Fact]
    public void Outline_expands_one_case_per_row_substituting_text_tables_and_doc_strings()
    {
        var scenarios = FeatureText.Scenarios(""""
            @feature-tag
            Feature: F
              @outline-tag
              Scenario Outline: Test 3.4 - Names <name>
                Then the 'reader' process should fail to create buffer '<name>' with 'InvalidBufferName'
                And the 'writer' process says table
                  | key    | value   |
                  | <name> | <other> |
                And the 'writer' process says doc
                  """text/<other>
                  name is <name>, unknown <missing> stays
                  """

                @first
                Examples: one
                  | name     | other |
                  | bad/name | x     |

                @second
                Examples: two
                  | name        | other |
                  | white space | y     |
            """");
        Assert.Equal(2, scenarios.Count);
        var first = scenarios[0];
        Assert.Equal("3.4", first.Id);
        Assert.Equal("Test 3.4 - Names bad/name (name=bad/name, other=x)", first.Name);
        Assert.Equal("the 'reader' process should fail to create buffer 'bad/name' with 'InvalidBufferName'", first.Steps[0].Text);
        var table = Assert.IsType<DataTableSpec>(first.Steps[1].Argument);
        Assert.Equal(["key", "value"], table.Header);
        Assert.Equal(["bad/name", "x"], Assert.Single(table.Rows));
        var doc = Assert.IsType<DocStringSpec>(first.Steps[2].Argument);
        Assert.Equal("name is bad/name, unknown <missing> stays", doc.Content);
        Assert.Equal("text/x", doc.MediaType);
        Assert.Equal(["@feature-tag", "@outline-tag", "@first"], first.Tags);
        Assert.Equal(["@feature-tag", "@outline-tag", "@second"], scenarios[1].Tags);
        Assert.Equal("the 'reader' process should fail to create buffer 'white space' with 'InvalidBufferName'", scenarios[1].Steps[0].Text);
        Assert.NotEqual(first.Key, scenarios[1].Key);
    }

    [Fact]
    public void Tags_are_inherited_from_feature_and_scenario()
    {
        var scenarios = FeatureText.Scenarios("""
            @separate-process @slow
            Feature: F
              @a
              Scenario: Test 1.1 - A
                Given the 'reader' process does a
              Scenario: Test 1.2 - B
                Given the 'reader' process does b
            """);
        Assert.Equal(["@separate-process", "@slow", "@a"], scenarios[0].Tags);
        Assert.Equal(["@separate-process", "@slow"], scenarios[1].Tags);
        Assert.True(scenarios[1].HasTag("@SEPARATE-PROCESS"));
    }

    [Fact]
    public void Data_table_without_outline_and_doc_string_without_media_type()
    {
        var scenario = Assert.Single(FeatureText.Scenarios(""""
            Feature: F
              Scenario: Test 1.1 - A
                Given the 'reader' process says table
                  | a | b |
                  | 1 | 2 |
                  | 3 | 4 |
                And the 'reader' process says doc
                  """
                  line 1
                    line 2
                  """
            """"));
        var table = Assert.IsType<DataTableSpec>(scenario.Steps[0].Argument);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["3", "4"], table.Rows[1]);
        var doc = Assert.IsType<DocStringSpec>(scenario.Steps[1].Argument);
        Assert.Equal("line 1\n  line 2", doc.Content);
        Assert.Null(doc.MediaType);
    }

    [Fact]
    public void Scenario_without_test_number_has_no_id()
    {
        var scenario = Assert.Single(FeatureText.Scenarios(FeatureText.Feature("Given the 'reader' process does x").Replace("Test 9.9 - S", "Just a name")));
        Assert.Null(scenario.Id);
    }

    [Fact]
    public void Rule_keyword_is_reported_with_its_position()
    {
        var errors = FeatureText.Errors("""
            Feature: F
              Rule: one rule
                Scenario: Test 1.1 - A
                  Given the 'reader' process does a
            """);
        var error = Assert.Single(errors, e => e.Message.Contains("'Rule:'"));
        Assert.Equal(2, error.Location.Line);
        Assert.Equal(3, error.Location.Column);
        Assert.StartsWith("bad.feature:2:3: 'Rule:' is not supported", error.ToString());
    }

    [Fact]
    public void Rule_after_steps_is_reported_once_with_the_clear_message()
    {
        var errors = FeatureText.Errors("""
            Feature: F
              Scenario: Test 1.1 - A
                Given the 'reader' process does a
              Rule: late rule
                Scenario: Test 1.2 - B
                  Given the 'reader' process does b
            """);
        var error = Assert.Single(errors);
        Assert.Equal("bad.feature:4:3: 'Rule:' is not supported by the Gherkin 5.0.0 parser Harmony uses; put the scenarios directly under 'Feature:'", error.ToString());
    }

    [Fact]
    public void Example_keyword_is_reported()
    {
        var errors = FeatureText.Errors("""
            Feature: F
              Example: Test 1.1 - A
                Given the 'reader' process does a
            """);
        Assert.Contains(errors, e => e.Location.Line == 2 && e.Message.Contains("'Example:' is not a keyword in Gherkin 5.0.0"));
    }

    [Fact]
    public void Keywords_inside_doc_strings_are_not_errors()
    {
        Assert.Single(FeatureText.Scenarios(""""
            Feature: F
              Scenario: Test 1.1 - A
                Given the 'reader' process says doc
                  """
                  Rule: this is text
                  """
            """"));
    }

    [Fact]
    public void Every_syntax_error_is_reported_with_line_and_column()
    {
        var errors = FeatureText.Errors("""
            Feature: F
              Scenario: Test 1.1 - A
                Given the 'reader' process does a
                this line is not a step
              Scenario: Test 1.2 - B
                Given the 'reader' process does b
                | unclosed
                and neither is this
            """);
        Assert.True(errors.Count >= 2, string.Join("\n", errors));
        var first = errors[0];
        Assert.Equal(4, first.Location.Line);
        Assert.Equal(5, first.Location.Column);
        Assert.Contains("this line is not a step", first.Message);
        Assert.DoesNotContain("(4:5)", first.Message);
        Assert.Contains(errors, e => e.Location.Line == 8);
    }

    [Fact]
    public void Outline_without_examples_rows_is_an_error()
    {
        var errors = FeatureText.Errors("""
            Feature: F
              Scenario Outline: Test 1.1 - A <x>
                Given the 'reader' process does <x>
            """);
        Assert.Contains(errors, e => e.Location.Line == 2 && e.Message.Contains("no Examples rows"));
    }

    [Fact]
    public void Load_collects_errors_from_every_file_and_returns_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("harmony-features-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "a.feature"), "Feature: A\n  Rule: r\n");
            File.WriteAllText(Path.Combine(directory.FullName, "b.feature"), "Feature: B\n  Scenario: Test 1.1 - x\n    Given the 'reader' process does x\n    nonsense\n");
            File.WriteAllText(Path.Combine(directory.FullName, "c.feature"), FeatureText.Feature("Given the 'reader' process does x"));
            var ex = Assert.Throws<FeatureLoadException>(() => FeatureLoader.Load(directory.FullName));
            Assert.Contains(ex.Errors, e => e.Location.File.EndsWith("a.feature") && e.Location.Line == 2);
            Assert.Contains(ex.Errors, e => e.Location.File.EndsWith("b.feature") && e.Location.Line == 4);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_repository_features_load()
    {
        var features = FeatureLoader.Load(Repo.FeaturesPath);
        Assert.True(features.Scenarios.Count >= 19);
        Assert.Contains(features.Scenarios, s => s.Id == "1.1");
        Assert.Equal(3, features.Scenarios.Count(s => s.Id == "3.4"));
    }
}
