using System.Text.RegularExpressions;
using Gherkin;
using Messages = Io.Cucumber.Messages.Types;

namespace Harmony.Orchestrator.Features;

/// <summary>
/// Maps the pickles Gherkin's compiler made from one document to <see cref="ScenarioCase"/>s. The compiler
/// already did Background, Rule, Outline expansion, placeholder substitution and tag inheritance; this adds what
/// pickles drop and routing needs: each step's keyword (And/But continue the previous step), its source
/// location and Background origin, the test number, and an Examples row label that keeps outline cases apart.
/// </summary>
internal sealed partial class PickleMapper
{
    [GeneratedRegex(@"^\s*Test\s+(?<id>\d+(?:\.\d+)*)")]
    private static partial Regex TestNumber();

    private readonly string _file;
    private readonly FeatureInfo _feature;
    private readonly Dictionary<string, (Messages.Step Step, bool FromBackground)> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Messages.Scenario> _scenarios = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Messages.TableRow Header, Messages.TableRow Row)> _exampleRows = new(StringComparer.Ordinal);

    private readonly HashSet<string> _outlineKeywords;

    public PickleMapper(string file, FeatureInfo feature, Messages.GherkinDocument document)
    {
        _file = file;
        _feature = feature;
        _outlineKeywords = new GherkinDialectProvider("en").GetDialect(document.Feature.Language, null).ScenarioOutlineKeywords
            .ToHashSet(StringComparer.Ordinal);
        foreach (var child in document.Feature.Children)
        {
            Index(child.Background, child.Scenario);
            foreach (var ruleChild in child.Rule?.Children ?? [])
            {
                Index(ruleChild.Background, ruleChild.Scenario);
            }
        }
    }

    /// <summary>
    /// Outlines without Examples rows: Gherkin compiles one to a plain scenario with its <c>&lt;placeholders&gt;</c>
    /// left in, or to nothing when its Examples are empty; either way it would not run what it says.
    /// </summary>
    public IEnumerable<FeatureError> OutlinesWithoutRows() =>
        _scenarios.Values
            .Where(s => _outlineKeywords.Contains(s.Keyword) && s.Examples.Sum(e => e.TableBody.Count) == 0)
            .Select(s => new FeatureError(At(s.Location), $"Scenario Outline '{s.Name}' has no Examples rows, so it would never run"));

    public ScenarioCase Map(Messages.Pickle pickle)
    {
        var scenario = _scenarios[pickle.AstNodeIds[0]];
        var name = pickle.Name;
        int? rowLine = null;
        if (pickle.AstNodeIds.Count > 1 && _exampleRows.TryGetValue(pickle.AstNodeIds[1], out var example))
        {
            var label = string.Join(", ", example.Header.Cells.Zip(example.Row.Cells, (h, v) => $"{h.Value}={v.Value}"));
            name = $"{name} ({label})";
            rowLine = (int)example.Row.Location.Line;
        }
        var steps = pickle.Steps.Select(MapStep).ToList();
        var id = TestNumber().Match(name) is { Success: true } m ? m.Groups["id"].Value : null;
        return new ScenarioCase(_feature, id, name.Trim(), pickle.Tags.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList(),
            steps, At(scenario.Location), rowLine, pickle.Id);
    }

    private StepSpec MapStep(Messages.PickleStep step)
    {
        var (source, fromBackground) = _steps[step.AstNodeIds[0]];
        StepArgumentSpec? argument = step.Argument switch
        {
            { DataTable: { } table } => ToTable(table),
            { DocString: { } doc } => new DocStringSpec(doc.Content ?? "", string.IsNullOrEmpty(doc.MediaType) ? null : doc.MediaType),
            _ => null,
        };
        return new StepSpec(source.Keyword.Trim(), KindOf(source.KeywordType), step.Text, argument, At(source.Location), fromBackground, step.Id);
    }

    private static DataTableSpec ToTable(Messages.PickleTable table)
    {
        var rows = table.Rows.Select(r => (IReadOnlyList<string>)r.Cells.Select(c => c.Value).ToList()).ToList();
        return new DataTableSpec(rows.Count > 0 ? rows[0] : [], rows.Skip(1).ToList());
    }

    // '*' has no keyword type of its own (UNKNOWN): like And, it continues the previous step.
    private static StepKeywordKind KindOf(Messages.StepKeywordType type) => type switch
    {
        Messages.StepKeywordType.CONTEXT => StepKeywordKind.Given,
        Messages.StepKeywordType.ACTION => StepKeywordKind.When,
        Messages.StepKeywordType.OUTCOME => StepKeywordKind.Then,
        _ => StepKeywordKind.And,
    };

    private void Index(Messages.Background? background, Messages.Scenario? scenario)
    {
        foreach (var step in background?.Steps ?? [])
        {
            _steps[step.Id] = (step, true);
        }
        if (scenario is null)
        {
            return;
        }
        _scenarios[scenario.Id] = scenario;
        foreach (var step in scenario.Steps)
        {
            _steps[step.Id] = (step, false);
        }
        foreach (var examples in scenario.Examples.Where(e => e.TableHeader is not null))
        {
            foreach (var row in examples.TableBody)
            {
                _exampleRows[row.Id] = (examples.TableHeader, row);
            }
        }
    }

    private SourceLocation At(Messages.Location location) => new(_file, (int)location.Line, (int)Math.Max(location.Column ?? 1, 1));
}
