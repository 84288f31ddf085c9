using Io.Cucumber.Messages.Types;

namespace Harmony.Orchestrator.Reporting;

/// <summary>
/// A copy of a Gherkin document for one combination and mode of a run: AST ids prefixed so the copies of one
/// file stay distinct in a report, only the scenarios that ran kept, and each scenario renamed (with its
/// combination and mode), so Cucumber's HTML report lists every test case of the matrix under its own name.
/// </summary>
internal sealed class DocumentCopy(string prefix, IReadOnlyDictionary<string, string> scenarioNames)
{
    public string Id(string id) => prefix + id;

    public GherkinDocument Copy(GherkinDocument document, string uri)
    {
        var feature = document.Feature;
        var children = feature.Children.Select(Child).OfType<FeatureChild>().ToList();
        return new GherkinDocument(uri,
            new Feature(feature.Location, Tags(feature.Tags), feature.Language, feature.Keyword, feature.Name, feature.Description, children),
            document.Comments);
    }

    private FeatureChild? Child(FeatureChild child)
    {
        if (child.Rule is { } rule)
        {
            var ruleChildren = rule.Children
                .Select(c => c.Scenario is { } s ? Scenario(s) is { } kept ? new RuleChild(null, kept) : null : new RuleChild(Background(c.Background), null))
                .OfType<RuleChild>()
                .ToList();
            return ruleChildren.Any(c => c.Scenario is not null)
                ? new FeatureChild(new Rule(rule.Location, Tags(rule.Tags), rule.Keyword, rule.Name, rule.Description, ruleChildren, Id(rule.Id)), null, null)
                : null;
        }
        if (child.Background is { } background)
        {
            return new FeatureChild(null, Background(background), null);
        }
        return Scenario(child.Scenario) is { } scenario ? new FeatureChild(null, null, scenario) : null;
    }

    private Scenario? Scenario(Scenario scenario) =>
        scenarioNames.TryGetValue(scenario.Id, out var name)
            ? new Scenario(scenario.Location, Tags(scenario.Tags), scenario.Keyword, name, scenario.Description, Steps(scenario.Steps),
                scenario.Examples.Select(Examples).ToList(), Id(scenario.Id))
            : null;

    private Background Background(Background background) =>
        new(background.Location, background.Keyword, background.Name, background.Description, Steps(background.Steps), Id(background.Id));

    private Examples Examples(Examples examples) =>
        new(examples.Location, Tags(examples.Tags), examples.Keyword, examples.Name, examples.Description,
            examples.TableHeader is { } header ? Row(header) : null, examples.TableBody.Select(Row).ToList(), Id(examples.Id));

    private List<Step> Steps(List<Step> steps) =>
        steps.Select(s => new Step(s.Location, s.Keyword, s.KeywordType, s.Text, s.DocString,
            s.DataTable is { } table ? new DataTable(table.Location, table.Rows.Select(Row).ToList()) : null, Id(s.Id))).ToList();

    private TableRow Row(TableRow row) => new(row.Location, row.Cells, Id(row.Id));

    private List<Tag> Tags(List<Tag> tags) => tags.Select(t => new Tag(t.Location, t.Name, Id(t.Id))).ToList();
}
