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
    public void Rules_compile_with_their_background_and_inherit_tags_through_feature_and_rule()
    {
        var scenarios = FeatureText.Scenarios("""
            @feature
            Feature: F
              Background:
                Given the 'reader' process does feature setup
              @rule
              Rule: one rule
                Background:
                  Given the 'writer' process does rule setup
                @own
                Example: Test 1.1 - A
                  When the 'reader' process does a
              Rule: another rule
                Scenario: Test 1.2 - B
                  Then the 'reader' process does b
            """);
        Assert.Equal(2, scenarios.Count);
        var first = scenarios[0];
        Assert.Equal("1.1", first.Id);
        Assert.Equal(["@feature", "@rule", "@own"], first.Tags);
        Assert.Equal(["the 'reader' process does feature setup", "the 'writer' process does rule setup", "the 'reader' process does a"],
            first.Steps.Select(s => s.Text));
        Assert.Equal([true, true, false], first.Steps.Select(s => s.FromBackground));
        Assert.Equal(new SourceLocation("test.feature", 11, 7), first.Steps[2].Location);
        Assert.Equal(["@feature"], scenarios[1].Tags);
        Assert.Equal(["the 'reader' process does feature setup", "the 'reader' process does b"], scenarios[1].Steps.Select(s => s.Text));
        Assert.NotEqual(first.PickleId, scenarios[1].PickleId);
    }

    [Fact]
    public void Scenario_template_expands_like_an_outline()
    {
        var scenarios = FeatureText.Scenarios("""
            Feature: F
              Scenario Template: Test 2.1 - Size <size>
                Given the 'writer' process writes '<size>' bytes
                Examples:
                  | size |
                  | 1    |
                  | 2    |
            """);
        Assert.Equal(["Test 2.1 - Size 1 (size=1)", "Test 2.1 - Size 2 (size=2)"], scenarios.Select(s => s.Name));
        Assert.Equal("the 'writer' process writes '2' bytes", scenarios[1].Steps[0].Text);
        Assert.Equal(7, scenarios[1].ExampleRowLine);
    }

    [Fact]
    public void Language_header_switches_keywords_and_and_still_continues_the_previous_step()
    {
        var scenario = Assert.Single(FeatureText.Scenarios("""
            # language: fr
            Fonctionnalité: F
              Scénario: Test 1.1 - A
                Soit the 'reader' process does a
                Et the 'writer' process does b
                Alors the 'reader' process does c
            """));
        Assert.Equal(["Soit", "Et", "Alors"], scenario.Steps.Select(s => s.Keyword));
        Assert.Equal([StepKeywordKind.Given, StepKeywordKind.And, StepKeywordKind.Then], scenario.Steps.Select(s => s.KeywordKind));
    }

    [Fact]
    public void Star_steps_continue_the_previous_step()
    {
        var scenario = Assert.Single(FeatureText.Scenarios(FeatureText.Feature("Given the 'reader' process does a", "* the 'reader' process does b")));
        Assert.Equal(StepKeywordKind.And, scenario.Steps[1].KeywordKind);
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
            File.WriteAllText(Path.Combine(directory.FullName, "a.feature"), "Feature: A\n  Scenario: Test 1.1 - x\n    Given the 'reader' process does x\n  nonsense\n");
            File.WriteAllText(Path.Combine(directory.FullName, "b.feature"), "Feature: B\n  Scenario: Test 1.1 - x\n    Given the 'reader' process does x\n    nonsense\n");
            File.WriteAllText(Path.Combine(directory.FullName, "c.feature"), FeatureText.Feature("Given the 'reader' process does x"));
            var ex = Assert.Throws<FeatureLoadException>(() => FeatureLoader.Load(directory.FullName));
            Assert.Contains(ex.Errors, e => e.Location.File.EndsWith("a.feature") && e.Location.Line == 4);
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
