using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harmony.Orchestrator.Cli;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>
/// The repository's features 01-04 through the real workers, in both modes: the C# worker from this
/// test's output (ProjectReference to ZeroBuffer.Serve, run as <c>dotnet zerobuffer-serve.dll</c>) and the
/// Python worker from <c>src/python</c>.
/// </summary>
[Collection(ProcessTests.Name)]
[Trait("Category", "RealWorker")]
public class RealWorkerTests
{
    [Fact]
    public Task Csharp_worker_runs_features_01_to_04_in_both_modes() =>
        RunFeaturesAsync("csharp", new JsonObject
        {
            ["command"] = "dotnet",
            ["args"] = new JsonArray(Environment.GetEnvironmentVariable("HARMONY_CSHARP_WORKER_DLL")
                                     ?? Path.Combine(AppContext.BaseDirectory, "zerobuffer-serve.dll")),
            ["workingDirectory"] = Repo.Root,
            ["env"] = new JsonObject(),
        });

    [Fact]
    public Task Python_worker_runs_features_01_to_04_in_both_modes() =>
        RunFeaturesAsync("python", new JsonObject
        {
            ["command"] = Repo.Python,
            ["args"] = new JsonArray("-m", "zerobuffer_serve"),
            ["workingDirectory"] = Repo.Root,
            ["env"] = new JsonObject { ["PYTHONPATH"] = Path.Combine(Repo.Root, "src", "python") },
        });

    private static async Task RunFeaturesAsync(string platform, JsonObject launch)
    {
        var directory = Directory.CreateTempSubdirectory("harmony-real-");
        try
        {
            var config = Path.Combine(directory.FullName, "harmony.json");
            var junit = Path.Combine(directory.FullName, "out.junit.xml");
            File.WriteAllText(config, new JsonObject
            {
                ["platforms"] = new JsonObject { [platform] = launch },
                ["featuresPath"] = Repo.FeaturesPath,
                ["stepTimeoutMs"] = 30000,
            }.ToJsonString());
            var shmBefore = Directory.GetFileSystemEntries("/dev/shm").ToHashSet();
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var app = new HarmonyApp(ConsoleFactory.Create(stdout, redirected: true), stdout, stderr);

            var exit = await app.RunAsync(["--config", config, $"{platform}_{platform}", "--mode", "both", "--junit", junit], CancellationToken.None);

            var output = stdout + "\n" + stderr;
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("✗", output);
            var summary = Regex.Match(output, @"(\d+) passed, 0 failed, (\d+) skipped");
            Assert.True(summary.Success, output);
            // Every scenario (pickle) of the feature files runs once per mode; same-process skips @separate-process ones,
            // and costly ones (@long, ...) are skipped in both modes (off by default).
            var scenarios = FeatureLoader.Load(Repo.FeaturesPath).Scenarios;
            var costly = scenarios.Count(s => CostlyTags.All.Any(s.HasTag));
            var separateOnly = scenarios.Count(s => s.HasTag(CombinationPlanner.SeparateProcessTag) && !CostlyTags.All.Any(s.HasTag));
            Assert.Equal(2 * (scenarios.Count - costly) - separateOnly, int.Parse(summary.Groups[1].Value));
            Assert.Equal(separateOnly + 2 * costly, int.Parse(summary.Groups[2].Value));
            Assert.True(File.Exists(junit));
            // Other runs may share the machine, so only this run's ids count (leak warnings name them).
            var runIds = Regex.Matches(output + File.ReadAllText(junit), @"h[0-9a-f]{10}").Select(m => m.Value).ToHashSet();
            Assert.DoesNotContain(Directory.GetFileSystemEntries("/dev/shm").Where(e => !shmBefore.Contains(e)), e => runIds.Any(e.Contains));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
