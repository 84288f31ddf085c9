namespace Harmony.Orchestrator.Features;

/// <summary>A position in a feature file (1-based line and column), printed as <c>file:line:column</c>.</summary>
internal sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>How a step was introduced. And/But (and <c>*</c>) continue the previous step.</summary>
internal enum StepKeywordKind
{
    Given,
    When,
    Then,
    And,
    But,
}

/// <summary>A data table or a doc string attached to a step, placeholders already substituted.</summary>
internal abstract record StepArgumentSpec;

internal sealed record DataTableSpec(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
    : StepArgumentSpec;

internal sealed record DocStringSpec(string Content, string? MediaType) : StepArgumentSpec;

/// <summary>
/// One step as written (text is never rewritten apart from outline placeholders). <see cref="PickleStepId"/>
/// names the pickle step it came from, for Cucumber Messages reports.
/// </summary>
internal sealed record StepSpec(
    string Keyword,
    StepKeywordKind KeywordKind,
    string Text,
    StepArgumentSpec? Argument,
    SourceLocation Location,
    bool FromBackground,
    string PickleStepId);

/// <summary>The feature a scenario comes from.</summary>
internal sealed record FeatureInfo(string File, string Stem, string Name, IReadOnlyList<string> Tags);

/// <summary>
/// One runnable scenario (a pickle): a plain Scenario or Example, or one Examples row of a Scenario Outline,
/// in a Rule or not. Background steps come first. Tags are inherited from the feature, the rule, the scenario
/// and (for outline rows) the Examples block.
/// </summary>
internal sealed record ScenarioCase(
    FeatureInfo Feature,
    string? Id,
    string Name,
    IReadOnlyList<string> Tags,
    IReadOnlyList<StepSpec> Steps,
    SourceLocation Location,
    int? ExampleRowLine,
    string PickleId)
{
    /// <summary>A key unique within a run and stable across runs: feature stem + scenario (and row) line.</summary>
    public string Key => ExampleRowLine is { } row
        ? $"{Feature.Stem}:{Location.Line}:{row}"
        : $"{Feature.Stem}:{Location.Line}";

    public bool HasTag(string tag) => Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A parsed feature file as Cucumber Messages: its source, its Gherkin document and its pickles.</summary>
internal sealed record FeatureDocument(
    Io.Cucumber.Messages.Types.Source Source,
    Io.Cucumber.Messages.Types.GherkinDocument Document,
    IReadOnlyList<Io.Cucumber.Messages.Types.Pickle> Pickles);

/// <summary>All scenarios of the loaded feature files, in file order then source order, with their documents.</summary>
internal sealed record FeatureSet(IReadOnlyList<FeatureInfo> Features, IReadOnlyList<ScenarioCase> Scenarios, IReadOnlyList<FeatureDocument> Documents);

/// <summary>A problem in a feature file.</summary>
internal sealed record FeatureError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>Thrown when one or more feature files cannot be used; every error is listed.</summary>
internal sealed class FeatureLoadException(IReadOnlyList<FeatureError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<FeatureError> Errors { get; } = errors;
}
