using Harmony.Orchestrator.Hosting;

namespace Harmony.Scenarios;

/// <summary>Theory data: the orchestrator's own plan of the default matrix (every feature × combination × both modes).</summary>
public static class ScenarioRows
{
    /// <summary>The rows of <see cref="HarmonySettings.ConfigPath"/>'s matrix, in plan order.</summary>
    public static TheoryData<ScenarioRow> Matrix
    {
        get
        {
            var data = new TheoryData<ScenarioRow>();
            foreach (var row in Plan(HarmonySettings.ConfigPath))
            {
                data.Add(row);
            }
            return data;
        }
    }

    /// <summary>One row per planned test case of that config, skipped ones included.</summary>
    public static IReadOnlyList<ScenarioRow> Plan(string configPath) =>
        ScenarioSession.PlanMatrix(configPath).Cases.Select(c => new ScenarioRow(configPath, c)).ToList();
}
