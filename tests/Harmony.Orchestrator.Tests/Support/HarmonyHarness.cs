using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Orchestrator.Cli;
using Harmony.Orchestrator.Reporting;

namespace Harmony.Orchestrator.Tests.Support;

/// <summary>What one in-process run of <c>harmony</c> produced.</summary>
internal sealed record HarmonyOutcome(int ExitCode, string Stdout, string Stderr, IReadOnlyList<JsonElement> Events)
{
    public string Output => Stdout + Stderr;

    public IEnumerable<JsonElement> Requests(string method) =>
        Events.Where(e => e.GetProperty("event").GetString() == "request" && e.GetProperty("method").GetString() == method);

    /// <summary>Workers that served a scenario (spares started in the background but never used are not counted).</summary>
    public IReadOnlyList<int> InitializedPids => Requests("initialize").Select(e => e.GetProperty("pid").GetInt32()).Distinct().ToList();

    /// <summary>Every worker process started, spares included.</summary>
    public IReadOnlyList<int> WorkerPids => Events.Where(e => e.GetProperty("event").GetString() == "start")
        .Select(e => e.GetProperty("pid").GetInt32()).Distinct().ToList();
}

/// <summary>
/// A temporary repository: <c>features/</c> plus a <c>harmony.json</c> whose platforms run the scripted fake
/// worker, which logs every request to a file the test reads back.
/// </summary>
internal sealed class HarmonyHarness : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("harmony-it-");

    public HarmonyHarness(params string[] platforms)
    {
        Directory.CreateDirectory(FeaturesDirectory);
        Platforms = platforms.Length > 0 ? platforms : ["csharp", "python"];
    }

    public string Root => _root.FullName;

    public string FeaturesDirectory => Path.Combine(Root, "features");

    public string ConfigPath => Path.Combine(Root, "harmony.json");

    public string EventLog => Path.Combine(Root, "events.jsonl");

    public IReadOnlyList<string> Platforms { get; }

    /// <summary>Environment for every fake worker (FAKE_WORKER_MODE, FAKE_WORKER_START_DELAY_MS, ...).</summary>
    public Dictionary<string, string> Env { get; } = new();

    /// <summary>Per-platform command overrides (to test a missing command).</summary>
    public Dictionary<string, string> Commands { get; } = new();

    public HarmonyHarness Feature(string name, string text)
    {
        File.WriteAllText(Path.Combine(FeaturesDirectory, name + ".feature"), text);
        return this;
    }

    public void WriteConfig()
    {
        var platforms = new JsonObject();
        foreach (var platform in Platforms)
        {
            var env = new JsonObject { ["FAKE_WORKER_LOG"] = EventLog, ["FAKE_WORKER_PLATFORM"] = platform };
            foreach (var (key, value) in Env)
            {
                env[key] = value;
            }
            platforms[platform] = new JsonObject
            {
                ["command"] = Commands.GetValueOrDefault(platform, Repo.Python),
                ["args"] = new JsonArray(Repo.FakeWorker),
                ["workingDirectory"] = ".",
                ["env"] = env,
            };
        }
        var config = new JsonObject { ["platforms"] = platforms, ["featuresPath"] = "features", ["stepTimeoutMs"] = 10000 };
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    public async Task<HarmonyOutcome> RunAsync(params string[] args)
    {
        WriteConfig();
        File.Delete(EventLog);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = ConsoleFactory.Create(stdout, redirected: true);
        var app = new HarmonyApp(console, stdout, stderr);
        var exit = await app.RunAsync(["--config", ConfigPath, .. args], CancellationToken.None);
        return new HarmonyOutcome(exit, stdout.ToString(), stderr.ToString(), ReadEvents(EventLog));
    }

    public static IReadOnlyList<JsonElement> ReadEvents(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];

    public void Dispose() => _root.Delete(recursive: true);
}

internal static class Processes
{
    /// <summary>True while the pid names a running (not zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task AssertAllGoneAsync(IEnumerable<int> pids)
    {
        var list = pids.ToList();
        Assert.NotEmpty(list);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (list.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(!list.Any(IsAlive), "still running: " + string.Join(", ", list.Where(IsAlive)));
    }
}
