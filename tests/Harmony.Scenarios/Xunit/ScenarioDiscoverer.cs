using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harmony.Scenarios.Xunit;

/// <summary>Makes one <see cref="ScenarioTestCase"/> per <see cref="ScenarioRow"/> of a <see cref="ScenarioTheoryAttribute"/> theory.</summary>
public sealed class ScenarioDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        dataRow is [ScenarioRow row]
            ? [new ScenarioTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, row)]
            : base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
}
