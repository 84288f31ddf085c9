using Xunit.Sdk;

namespace Harmony.Scenarios.Xunit;

/// <summary>
/// A theory whose <see cref="ScenarioRow"/> rows become <see cref="ScenarioTestCase"/>s: named as the console names
/// them, with traits, the feature file as source, and a skip reason per row (xUnit 2 has no dynamic skip).
/// </summary>
[XunitTestCaseDiscoverer("Harmony.Scenarios.Xunit.ScenarioDiscoverer", "Harmony.Scenarios")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ScenarioTheoryAttribute : TheoryAttribute;
