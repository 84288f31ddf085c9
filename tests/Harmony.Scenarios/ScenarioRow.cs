using Harmony.Orchestrator.Planning;
using Xunit.Abstractions;

namespace Harmony.Scenarios;

/// <summary>
/// One planned test case (scenario × combination × mode) as a theory row. Serializable, so test explorers list
/// and run every row on its own; it carries what the explorer shows (name, traits, source line, skip) and the
/// key the orchestrator finds the case by when the row runs.
/// </summary>
public sealed class ScenarioRow : IXunitSerializable
{
    /// <summary>The trait every matrix row carries, so a run can leave the matrix out (<c>Category!=HarmonyScenario</c>).</summary>
    public const string CategoryValue = "HarmonyScenario";

    // Set by Deserialize (or the planning constructor); the default values are never observed.
    private string _configPath = "";
    private string _key = "";
    private string _displayName = "";
    private string _featureStem = "";
    private string _featureFile = "";
    private int _line;
    private string _testId = "";
    private string _pair = "";
    private string _mode = "";
    private string[] _tags = [];
    private string? _plannedSkip;

    /// <summary>For the deserializer.</summary>
    public ScenarioRow()
    {
    }

    internal ScenarioRow(string configPath, TestCase testCase)
    {
        var scenario = testCase.Routed.Scenario;
        _configPath = configPath;
        _key = testCase.Key;
        _displayName = $"{testCase.DisplayName} {testCase.Mode.Name()}";
        _featureStem = scenario.Feature.Stem;
        _featureFile = Path.GetFullPath(scenario.Location.File);
        _line = scenario.Location.Line;
        _testId = scenario.Id ?? "";
        _pair = testCase.Combination.Name;
        _mode = testCase.Mode.Name();
        _tags = [.. scenario.Tags];
        _plannedSkip = testCase.SkipReason;
    }

    public string ConfigPath => _configPath;

    /// <summary>The orchestrator's <see cref="TestCase.Key"/>.</summary>
    public string Key => _key;

    /// <summary>As the console and JUnit name it: <c>Test 1.1 - ... [csharp_python: reader=csharp, writer=python] separate-process</c>.</summary>
    public string DisplayName => _displayName;

    public string FeatureFile => _featureFile;

    public int Line => _line;

    /// <summary>Feature (file stem), Section (1 of 1.2), Test (1.2), Pair, Mode, every tag (without '@') and Category.</summary>
    public IEnumerable<(string Name, string Value)> Traits
    {
        get
        {
            yield return ("Category", CategoryValue);
            yield return ("Feature", _featureStem);
            if (_testId.Length > 0)
            {
                yield return ("Test", _testId);
                yield return ("Section", _testId.Split('.')[0]);
            }
            yield return ("Pair", _pair);
            yield return ("Mode", _mode);
            foreach (var tag in _tags)
            {
                yield return ("Tag", tag.TrimStart('@'));
            }
        }
    }

    /// <summary>Why the row does not run: the planner's reason (same-process and @separate-process), or a costly tag not enabled.</summary>
    public string? SkipReason(IReadOnlySet<string> enabledTags)
    {
        if (_plannedSkip is not null)
        {
            return _plannedSkip;
        }
        if (enabledTags.Contains("all"))
        {
            return null;
        }
        var off = _tags.Where(t => HarmonySettings.CostlyTags.Contains(t, StringComparer.OrdinalIgnoreCase) && !enabledTags.Contains(t)).ToList();
        return off.Count == 0
            ? null
            : $"{string.Join(", ", off)} is off by default: set HARMONY_ENABLE_TAGS={string.Join(',', off.Select(t => t.TrimStart('@')))} " +
              "(environment, `dotnet test -e`, or RunConfiguration/EnvironmentVariables in a .runsettings file) to run it";
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue("config", _configPath);
        info.AddValue("key", _key);
        info.AddValue("name", _displayName);
        info.AddValue("feature", _featureStem);
        info.AddValue("file", _featureFile);
        info.AddValue("line", _line);
        info.AddValue("id", _testId);
        info.AddValue("pair", _pair);
        info.AddValue("mode", _mode);
        info.AddValue("tags", _tags);
        info.AddValue("skip", _plannedSkip);
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        _configPath = info.GetValue<string>("config");
        _key = info.GetValue<string>("key");
        _displayName = info.GetValue<string>("name");
        _featureStem = info.GetValue<string>("feature");
        _featureFile = info.GetValue<string>("file");
        _line = info.GetValue<int>("line");
        _testId = info.GetValue<string>("id");
        _pair = info.GetValue<string>("pair");
        _mode = info.GetValue<string>("mode");
        _tags = info.GetValue<string[]>("tags") ?? [];
        _plannedSkip = info.GetValue<string?>("skip");
    }

    public override string ToString() => _displayName;
}
