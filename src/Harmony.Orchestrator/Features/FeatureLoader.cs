using System.Text.RegularExpressions;
using Gherkin;
using Gherkin.CucumberMessages;
using Gherkin.CucumberMessages.Pickles;
using Messages = Io.Cucumber.Messages.Types;

namespace Harmony.Orchestrator.Features;

/// <summary>
/// Loads <c>*.feature</c> files into <see cref="ScenarioCase"/>s. The only code that calls Gherkin: it parses
/// with Gherkin 43 (Rule, Example, Scenario Template, <c># language:</c>), collects every syntax error as
/// <c>file:line:column: message</c>, and compiles the document to pickles with Gherkin's own compiler.
/// </summary>
internal static partial class FeatureLoader
{
    [GeneratedRegex(@"^\(\d+:\d+\):\s*")]
    private static partial Regex PositionPrefix();

    /// <summary>Loads every feature file of a directory (sorted by name) or one file.</summary>
    /// <exception cref="FeatureLoadException">Any file has errors; nothing is returned then.</exception>
    public static FeatureSet Load(string path)
    {
        string[] files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, "*.feature", SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
        }
        else
        {
            throw new FeatureLoadException([new FeatureError(new SourceLocation(path, 0, 0), "no such feature file or directory")]);
        }

        // One id generator for the whole run: pickle and AST ids stay unique across files in the reports.
        var ids = new IncrementingIdGenerator();
        var errors = new List<FeatureError>();
        var features = new List<FeatureInfo>();
        var scenarios = new List<ScenarioCase>();
        var documents = new List<FeatureDocument>();
        foreach (var file in files)
        {
            // Short paths in messages when the features are under the current directory.
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
            var display = relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(file) : relative;
            var result = LoadText(display, File.ReadAllText(file), ids);
            errors.AddRange(result.Errors);
            if (result.Feature is not null && result.Document is not null)
            {
                features.Add(result.Feature);
                scenarios.AddRange(result.Scenarios);
                documents.Add(result.Document);
            }
        }
        if (errors.Count > 0)
        {
            throw new FeatureLoadException(errors);
        }
        return new FeatureSet(features, scenarios, documents);
    }

    /// <summary>Parses and compiles one file's text; errors are returned, not thrown.</summary>
    public static LoadedFeature LoadText(string file, string text, IIdGenerator? ids = null)
    {
        ids ??= new IncrementingIdGenerator();
        Gherkin.Ast.GherkinDocument document;
        try
        {
            document = new Parser().Parse(new StringReader(text));
        }
        catch (CompositeParserException composite)
        {
            return LoadedFeature.Failed(composite.Errors.Select(e => ToError(file, e)));
        }
        catch (ParserException single)
        {
            return LoadedFeature.Failed([ToError(file, single)]);
        }
        if (document.Feature is null)
        {
            return LoadedFeature.Failed([]);
        }
        var messages = new AstMessagesConverter(ids).ConvertGherkinDocumentToEventArgs(document, file);
        var pickles = new PickleCompiler(ids).Compile(messages);
        var feature = messages.Feature;
        var info = new FeatureInfo(file, Path.GetFileNameWithoutExtension(file), feature.Name?.Trim() ?? "",
            feature.Tags.Select(t => t.Name).ToList());
        var mapper = new PickleMapper(file, info, messages);
        var errors = mapper.OutlinesWithoutRows().ToList();
        if (errors.Count > 0)
        {
            return LoadedFeature.Failed(errors);
        }
        var source = new Messages.Source(file, text, Messages.SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN);
        return new LoadedFeature(info, pickles.Select(mapper.Map).ToList(), new FeatureDocument(source, messages, pickles), []);
    }

    private static FeatureError ToError(string file, ParserException exception)
    {
        var line = exception.Location?.Line ?? 0;
        var column = Math.Max(exception.Location?.Column ?? 1, 1);
        var message = PositionPrefix().Replace(exception.Message, "");
        return new FeatureError(new SourceLocation(file, line, column), message);
    }
}

/// <summary>One file's scenarios and document, or its errors.</summary>
internal sealed record LoadedFeature(
    FeatureInfo? Feature,
    IReadOnlyList<ScenarioCase> Scenarios,
    FeatureDocument? Document,
    IReadOnlyList<FeatureError> Errors)
{
    public static LoadedFeature Failed(IEnumerable<FeatureError> errors) =>
        new(null, [], null, errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList());
}
