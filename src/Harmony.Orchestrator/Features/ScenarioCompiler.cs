using System.Text.RegularExpressions;
using Gherkin;
using Ast = Gherkin.Ast;

namespace Harmony.Orchestrator.Features;

/// <summary>
/// Turns one parsed feature into scenario cases (like Gherkin's pickle compiler, but keeping keywords,
/// locations and Background origin): Background steps are prepended, Scenario Outlines expand to one
/// case per Examples row with <c>&lt;placeholders&gt;</c> substituted in step text, tables and doc strings.
/// </summary>
internal sealed partial class ScenarioCompiler
{
    [GeneratedRegex(@"^\s*Test\s+(?<id>\d+(?:\.\d+)*)")]
    private static partial Regex TestNumber();

    [GeneratedRegex(@"<(?<name>[^<>]+)>")]
    private static partial Regex Placeholder();

    private readonly string _file;
    private readonly Ast.Feature _feature;
    private readonly GherkinDialect _dialect;
    private readonly List<FeatureError> _errors = [];

    public ScenarioCompiler(string file, Ast.Feature feature)
    {
        _file = file;
        _feature = feature;
        _dialect = new GherkinDialectProvider().GetDialect(feature.Language ?? "en", feature.Location);
        FeatureInfo = new FeatureInfo(
            file,
            Path.GetFileNameWithoutExtension(file),
            feature.Name?.Trim() ?? "",
            feature.Tags.Select(t => t.Name).ToList());
    }

    public FeatureInfo FeatureInfo { get; }

    public IReadOnlyList<FeatureError> Errors => _errors;

    public IReadOnlyList<ScenarioCase> Compile()
    {
        var background = _feature.Children.OfType<Ast.Background>().FirstOrDefault();
        var cases = new List<ScenarioCase>();
        foreach (var child in _feature.Children)
        {
            switch (child)
            {
                case Ast.ScenarioOutline outline:
                    cases.AddRange(CompileOutline(outline, background));
                    break;
                case Ast.Scenario scenario:
                    cases.Add(MakeCase(scenario.Name, scenario, scenario.Tags, background, null, null));
                    break;
            }
        }
        return cases;
    }

    private IEnumerable<ScenarioCase> CompileOutline(Ast.ScenarioOutline outline, Ast.Background? background)
    {
        var any = false;
        foreach (var examples in outline.Examples)
        {
            if (examples.TableHeader is null)
            {
                continue;
            }
            var header = examples.TableHeader.Cells.Select(c => c.Value).ToList();
            foreach (var row in examples.TableBody)
            {
                var values = row.Cells.Select(c => c.Value).ToList();
                var substitutions = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Count && i < values.Count; i++)
                {
                    substitutions[header[i]] = values[i];
                }
                var rowLabel = string.Join(", ", header.Zip(values, (h, v) => $"{h}={v}"));
                var name = $"{Substitute(outline.Name, substitutions)} ({rowLabel})";
                var tags = outline.Tags.Concat(examples.Tags);
                any = true;
                yield return MakeCase(name, outline, tags, background, substitutions, row.Location.Line);
            }
        }
        if (!any)
        {
            _errors.Add(new FeatureError(At(outline.Location),
                $"Scenario Outline '{outline.Name}' has no Examples rows, so it would never run"));
        }
    }

    private ScenarioCase MakeCase(
        string name,
        Ast.ScenarioDefinition definition,
        IEnumerable<Ast.Tag> ownTags,
        Ast.Background? background,
        IReadOnlyDictionary<string, string>? substitutions,
        int? exampleRowLine)
    {
        var steps = new List<StepSpec>();
        if (background is not null)
        {
            steps.AddRange(background.Steps.Select(s => MakeStep(s, null, fromBackground: true)));
        }
        steps.AddRange(definition.Steps.Select(s => MakeStep(s, substitutions, fromBackground: false)));
        var tags = FeatureInfo.Tags.Concat(ownTags.Select(t => t.Name)).Distinct(StringComparer.Ordinal).ToList();
        var id = TestNumber().Match(name) is { Success: true } m ? m.Groups["id"].Value : null;
        return new ScenarioCase(FeatureInfo, id, name.Trim(), tags, steps, At(definition.Location), exampleRowLine);
    }

    private StepSpec MakeStep(Ast.Step step, IReadOnlyDictionary<string, string>? substitutions, bool fromBackground)
    {
        StepArgumentSpec? argument = step.Argument switch
        {
            Ast.DataTable table => MakeTable(table, substitutions),
            Ast.DocString doc => new DocStringSpec(
                Substitute(doc.Content ?? "", substitutions),
                string.IsNullOrEmpty(doc.ContentType) ? null : Substitute(doc.ContentType, substitutions)),
            _ => null,
        };
        return new StepSpec(
            step.Keyword.Trim(),
            Classify(step.Keyword),
            Substitute(step.Text, substitutions),
            argument,
            At(step.Location),
            fromBackground);
    }

    private static DataTableSpec MakeTable(Ast.DataTable table, IReadOnlyDictionary<string, string>? substitutions)
    {
        var rows = table.Rows.Select(r => (IReadOnlyList<string>)r.Cells.Select(c => Substitute(c.Value, substitutions)).ToList()).ToList();
        return new DataTableSpec(rows.Count > 0 ? rows[0] : [], rows.Skip(1).ToList());
    }

    private StepKeywordKind Classify(string keyword)
    {
        // '*' is listed under every kind; it continues the previous step like And.
        if (_dialect.AndStepKeywords.Contains(keyword))
        {
            return StepKeywordKind.And;
        }
        if (_dialect.ButStepKeywords.Contains(keyword))
        {
            return StepKeywordKind.But;
        }
        if (_dialect.GivenStepKeywords.Contains(keyword))
        {
            return StepKeywordKind.Given;
        }
        if (_dialect.WhenStepKeywords.Contains(keyword))
        {
            return StepKeywordKind.When;
        }
        return StepKeywordKind.Then;
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string>? substitutions)
    {
        if (substitutions is null || substitutions.Count == 0 || text.IndexOf('<') < 0)
        {
            return text;
        }
        return Placeholder().Replace(text, m => substitutions.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);
    }

    private SourceLocation At(Ast.Location location) => new(_file, location.Line, Math.Max(location.Column, 1));
}
