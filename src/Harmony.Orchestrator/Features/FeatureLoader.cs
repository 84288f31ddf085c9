using System.Text.RegularExpressions;
using Gherkin;
using Ast = Gherkin.Ast;

namespace Harmony.Orchestrator.Features;

/// <summary>
/// Loads <c>*.feature</c> files into <see cref="ScenarioCase"/>s. The only code that sees Gherkin types:
/// it parses with Gherkin 5.0.0, collects every syntax error as <c>file:line:column: message</c>, and
/// compiles the AST (Background first, one case per Scenario or per Examples row of an Outline).
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

        var errors = new List<FeatureError>();
        var features = new List<FeatureInfo>();
        var scenarios = new List<ScenarioCase>();
        foreach (var file in files)
        {
            // Short paths in messages when the features are under the current directory.
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
            var display = relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(file) : relative;
            var result = LoadText(display, File.ReadAllText(file));
            errors.AddRange(result.Errors);
            if (result.Feature is not null)
            {
                features.Add(result.Feature);
                scenarios.AddRange(result.Scenarios);
            }
        }
        if (errors.Count > 0)
        {
            throw new FeatureLoadException(errors);
        }
        return new FeatureSet(features, scenarios);
    }

    /// <summary>Parses and compiles one file's text; errors are returned, not thrown.</summary>
    public static (FeatureInfo? Feature, IReadOnlyList<ScenarioCase> Scenarios, IReadOnlyList<FeatureError> Errors)
        LoadText(string file, string text)
    {
        var unsupported = UnsupportedSyntaxScanner.Scan(file, text).ToList();
        var parserErrors = new List<FeatureError>();
        Ast.GherkinDocument? document = null;
        try
        {
            document = new Parser().Parse(new StringReader(text));
        }
        catch (CompositeParserException composite)
        {
            parserErrors.AddRange(composite.Errors.Select(e => ToError(file, e)));
        }
        catch (ParserException single)
        {
            parserErrors.Add(ToError(file, single));
        }
        // On a 'Rule:' line the parser's "unexpected token" says less than the scanner's message.
        var unsupportedLines = unsupported.Select(e => e.Location.Line).ToHashSet();
        var errors = unsupported.Concat(parserErrors.Where(e => !unsupportedLines.Contains(e.Location.Line)))
            .OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
        if (errors.Count > 0 || document?.Feature is null)
        {
            return (null, [], errors);
        }
        var compiler = new ScenarioCompiler(file, document.Feature);
        var scenarios = compiler.Compile();
        return (compiler.FeatureInfo, scenarios, compiler.Errors);
    }

    private static FeatureError ToError(string file, ParserException exception)
    {
        var line = exception.Location?.Line ?? 0;
        var column = Math.Max(exception.Location?.Column ?? 1, 1);
        var message = PositionPrefix().Replace(exception.Message, "");
        return new FeatureError(new SourceLocation(file, line, column), message);
    }
}
