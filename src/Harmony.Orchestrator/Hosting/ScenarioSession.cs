using Harmony.Orchestrator.Configuration;
using Harmony.Orchestrator.Execution;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Workers;

namespace Harmony.Orchestrator.Hosting;

/// <summary>One test case's outcome and the text the console prints for it (✓/✗/skipped line, failure details).</summary>
internal sealed record CaseReport(ScenarioResult Result, string Text);

/// <summary>
/// Runs planned test cases one at a time in the calling process, for a host other than the command line
/// (the <c>dotnet test</c> project tests/Harmony.Scenarios): the same plan as <c>harmony all --mode both</c>, the
/// same worker pool, runner, run ids and leak sweep, and the console reporter's text for each case.
/// </summary>
internal sealed class ScenarioSession : IAsyncDisposable
{
    // Worker notices (how to attach a debugger) go to the case that started the worker, even when
    // several sessions run cases at once.
    private static readonly AsyncLocal<Action<string>?> CurrentNotice = new();

    /// <summary>Least time a worker gets from spawn to its health reply (a cold dotnet or python start), as on the command line.</summary>
    private static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromSeconds(10);

    private readonly WorkerPool _pool;
    private readonly ScenarioRunner _runner;
    private readonly Dictionary<string, TestCase> _byKey;

    private ScenarioSession(PreparedRun plan, string? debugRole)
    {
        Plan = plan;
        _byKey = plan.Cases.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var options = new RunnerOptions(plan.Config.StepTimeoutMs, debugRole);
        _pool = new WorkerPool(plan.Config, (_, debugging) => new WorkerLaunchOptions(
            debugging, debugging ? Notify : null, NotifyDebuggerWaiting), options.Deadline > WorkerStartTimeout ? options.Deadline : WorkerStartTimeout);
        _runner = new ScenarioRunner(_pool, options, ResourceSweeper.Default);
    }

    /// <summary>Every case of the default matrix: all features × every combination × both modes (skipped ones included).</summary>
    public PreparedRun Plan { get; }

    /// <summary>Plans the default matrix of a config, as <c>./test.sh</c> with no arguments does.</summary>
    /// <exception cref="ConfigException">Bad config.</exception>
    /// <exception cref="Features.FeatureLoadException">Feature files have errors.</exception>
    public static PreparedRun PlanMatrix(string configPath) =>
        // Every costly tag planned as runnable: the test host gates them itself (HARMONY_ENABLE_TAGS) with its own reason.
        PlanBuilder.Prepare(new PlanOptions([], configPath, "both", null, null) { EnabledCostlyTags = CostlyTags.All.ToHashSet(StringComparer.OrdinalIgnoreCase) });

    /// <param name="debugRole">As <c>--debug</c>: that role's worker starts with --wait-for-debugger and no deadlines.</param>
    /// <exception cref="UsageException"><paramref name="debugRole"/> is not a role.</exception>
    public static ScenarioSession Open(string configPath, string? debugRole)
    {
        if (debugRole is { } role && role != "all" && !RoleNames.IsValid(role))
        {
            throw new UsageException($"HARMONY_DEBUG needs a role (reader, writer, client, server, optionally suffixed like reader-2), got '{role}'");
        }
        return new(PlanMatrix(configPath), debugRole);
    }

    /// <summary>Runs the planned case with that <see cref="TestCase.Key"/>.</summary>
    /// <param name="notice">Receives the debugger notice (which pid to attach to) and the debugged worker's stderr as they come.</param>
    /// <exception cref="KeyNotFoundException">No planned case has that key (the features changed since discovery).</exception>
    /// <exception cref="ConfigException">A worker the case needs does not exist (not built).</exception>
    public async Task<CaseReport> RunAsync(string key, Action<string>? notice, CancellationToken ct)
    {
        if (!_byKey.TryGetValue(key, out var testCase))
        {
            throw new KeyNotFoundException($"no planned test case '{key}' in {Plan.Config.File}: the features changed since the tests were discovered; discover again");
        }
        var missing = PlanBuilder.MissingCommands(Plan with { Cases = [testCase] });
        if (missing.Count > 0)
        {
            throw new ConfigException(
                $"worker command(s) not found (build them with scripts/build.sh, or fix {Plan.Config.File}):\n  " + string.Join("\n  ", missing));
        }
        CurrentNotice.Value = notice;
        var result = await _runner.RunAsync(testCase, ct).ConfigureAwait(false);
        return new CaseReport(result, Render(result));
    }

    /// <summary>The console reporter's text for one result, without colours.</summary>
    public static string Render(ScenarioResult result)
    {
        var text = new StringWriter();
        new ConsoleReporter(ConsoleFactory.Create(text, redirected: true), TextWriter.Null).Completed(result);
        return text.ToString().TrimEnd();
    }

    private static void Notify(string line) => CurrentNotice.Value?.Invoke(line);

    private static void NotifyDebuggerWaiting(string platform, int pid) =>
        Notify($"[harmony] the {platform} worker (pid {pid}) waits for a debugger: {Debugging.DebugHints.For(platform, pid)}");

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
