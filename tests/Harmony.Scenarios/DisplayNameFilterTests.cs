namespace Harmony.Scenarios;

/// <summary>
/// The README's filter examples select exactly the cases they name from the repository's real matrix. A test
/// explorer or <c>dotnet test --filter DisplayName~X</c> matches on the row's display name (a substring test), so
/// the pair the command line uses has to be in that name.
/// </summary>
public sealed class DisplayNameFilterTests
{
    private static readonly IReadOnlyList<ScenarioRow> Rows = ScenarioRows.Plan(HarmonySettings.ConfigPath);

    [Fact]
    public void DisplayName_filter_by_pair_and_test_number_selects_that_scenario_of_that_pair_only()
    {
        var selected = Rows
            .Where(r => r.DisplayName.Contains("csharp_python", StringComparison.Ordinal)
                        && r.DisplayName.Contains("Test 1.1", StringComparison.Ordinal))
            .Select(r => r.DisplayName)
            .ToList();

        // Same-process mode is planned for uniform pairs only (csharp_csharp), so the pair has one row.
        Assert.Equal(["Test 1.1 - Simple Write-Read Cycle [csharp_python: reader=csharp, writer=python] separate-process"], selected);
    }

    [Fact]
    public void Every_row_names_its_pair_trait_in_its_display_name()
    {
        Assert.NotEmpty(Rows);
        Assert.All(Rows, row => Assert.Contains($"[{row.Traits.Single(t => t.Name == "Pair").Value}: ", row.DisplayName, StringComparison.Ordinal));
    }
}
