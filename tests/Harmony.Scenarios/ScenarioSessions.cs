using System.Collections.Concurrent;
using Harmony.Orchestrator.Hosting;
using Harmony.Orchestrator.Workers;

namespace Harmony.Scenarios;

/// <summary>
/// One orchestrator session (worker pool) per harmony.json, shared by every row of a test class, so rows reuse warm
/// workers as <c>./test.sh</c> does. Disposing shuts the workers down; nothing outlives the test host.
/// </summary>
public sealed class ScenarioSessions : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<ScenarioSession>> _sessions = new(StringComparer.Ordinal);

    static ScenarioSessions()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => WorkerProcess.KillAll();
    }

    internal ScenarioSession For(string configPath) =>
        _sessions.GetOrAdd(configPath, path => new Lazy<ScenarioSession>(() => ScenarioSession.Open(path, HarmonySettings.DebugRole))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var session in _sessions.Values.Where(s => s.IsValueCreated))
        {
            await session.Value.DisposeAsync();
        }
        _sessions.Clear();
    }
}
