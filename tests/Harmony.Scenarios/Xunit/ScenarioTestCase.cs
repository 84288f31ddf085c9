using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harmony.Scenarios.Xunit;

/// <summary>
/// One row of the scenario matrix. The display name, traits and skip reason come from its <see cref="ScenarioRow"/>
/// (recomputed after deserialization, so a costly tag enabled in the test host's environment runs).
/// </summary>
public sealed class ScenarioTestCase : XunitTestCase
{
    /// <summary>For the deserializer.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer only")]
    public ScenarioTestCase()
    {
    }

    public ScenarioTestCase(
        IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod, ScenarioRow row)
        : base(diagnosticMessageSink, display, options, testMethod, [row])
    {
        // "Go to source" opens the scenario in its feature file.
        if (row.FeatureFile.Length > 0)
        {
            SourceInformation = new SourceInformation { FileName = row.FeatureFile, LineNumber = row.Line };
        }
    }

    private ScenarioRow Row => (ScenarioRow)TestMethodArguments[0];

    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) => Row.DisplayName;

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute) ?? Row.SkipReason(HarmonySettings.EnabledTags);

    protected override void Initialize()
    {
        base.Initialize();
        foreach (var (name, value) in Row.Traits)
        {
            if (!Traits.TryGetValue(name, out var values))
            {
                Traits[name] = values = [];
            }
            values.Add(value);
        }
    }

    public override Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        // The test method reports the debugger notice here, live ("[xUnit.net ...]" lines of dotnet test).
        LiveOutput.Sink = diagnosticMessageSink;
        return base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
    }
}
