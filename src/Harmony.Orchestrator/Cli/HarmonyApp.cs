using System.CommandLine;
using System.Diagnostics;
using Harmony.Orchestrator.Configuration;
using Harmony.Orchestrator.Execution;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Workers;
using Spectre.Console;

namespace Harmony.Orchestrator.Cli;

/// <summary>
/// The <c>harmony</c> program: parse the command line, prepare the plan, then list it, dry-run it or run it.
/// Exit codes: 0 nothing failed, 1 a test (or dry-run check) failed, 2 usage / config / feature error, 130 interrupted.
/// </summary>
internal sealed class HarmonyApp(IAnsiConsole console, TextWriter stdout, TextWriter stderr)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    /// <summary>Least time a worker gets from spawn to its health reply (a cold dotnet or python start).</summary>
    public static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromSeconds(10);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var bench = BenchCommand.Build();
        var root = RunCommand.Build(bench);
        var parse = root.Parse(args);
        if (RunCommand.IsHelp(parse))
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"harmony: {error.Message}");
            }
            stderr.WriteLine("harmony: see --help");
            return Usage;
        }
        try
        {
            if (parse.CommandResult.Command == bench)
            {
                return await new BenchCommand(console, stderr).RunAsync(BenchCommand.Read(parse), ct).ConfigureAwait(false);
            }
            return await RunTestsAsync(RunCommand.Read(parse), ct).ConfigureAwait(false);
        }
        catch (FeatureLoadException ex)
        {
            foreach (var error in ex.Errors)
            {
                stderr.WriteLine(error.ToString());
            }
            stderr.WriteLine($"harmony: {ex.Errors.Count} feature error(s); nothing was run");
            return Usage;
        }
        catch (Exception ex) when (ex is UsageException or ConfigException)
        {
            stderr.WriteLine($"harmony: {ex.Message}");
            return Usage;
        }
    }

    private async Task<int> RunTestsAsync(RunSettings settings, CancellationToken ct)
    {
        settings.Validate();
        var reports = settings.ReportTargets;
        var prepared = PlanBuilder.Prepare(settings.Plan);
        if (settings.List)
        {
            foreach (var testCase in prepared.Cases)
            {
                var skip = testCase.SkipReason is { } reason ? $"  (skipped: {reason})" : "";
                stdout.WriteLine($"{testCase.DisplayName}  {testCase.Mode.Name()}  {testCase.Routed.Scenario.Location}{skip}");
            }
            stdout.WriteLine($"{prepared.Cases.Count} test case(s)");
            return Ok;
        }
        var missing = PlanBuilder.MissingCommands(prepared);
        if (missing.Count > 0)
        {
            throw new ConfigException(
                $"worker command(s) not found (build them, or fix {prepared.Config.File}):\n  " + string.Join("\n  ", missing));
        }
        if (prepared.Cases.Count == 0)
        {
            stdout.WriteLine("harmony: no test case matches the selection");
            return Ok;
        }

        var reporter = new ConsoleReporter(console, stderr);
        var stepTimeout = settings.StepTimeoutMs ?? prepared.Config.StepTimeoutMs;
        var runnerOptions = new RunnerOptions(stepTimeout, settings.DebugRole);
        await using var pool = new WorkerPool(prepared.Config, (platform, debugging) => new WorkerLaunchOptions(
            debugging, settings.Verbose || debugging ? reporter.WorkerLog : null, reporter.WorkerLog), Max(WorkerStartTimeout, runnerOptions.Deadline));
        if (settings.DryRun)
        {
            return await DryRunAsync(prepared, pool, runnerOptions, ct).ConfigureAwait(false);
        }

        reporter.Planned(prepared.Cases, settings.Parallel);
        var started = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        var runner = new ScenarioRunner(pool, runnerOptions, ResourceSweeper.Default);
        var results = await new RunExecutor(runner, reporter, settings.Parallel).RunAsync(prepared.Cases, ct).ConfigureAwait(false);
        reporter.Finished(results, stopwatch.Elapsed);
        foreach (var report in reports)
        {
            await report.WriteAsync(prepared.Features, results, started, stopwatch.Elapsed).ConfigureAwait(false);
            stdout.WriteLine(report.Describe());
        }
        if (ct.IsCancellationRequested)
        {
            stderr.WriteLine("harmony: interrupted; workers shut down");
            return Interrupted;
        }
        return results.Any(r => r.Outcome == Outcome.Failed) ? Failed : Ok;
    }

    private async Task<int> DryRunAsync(PreparedRun prepared, WorkerPool pool, RunnerOptions options, CancellationToken ct)
    {
        IReadOnlyList<StepProblem> problems;
        IReadOnlyDictionary<string, int> counts;
        try
        {
            (problems, counts) = await DryRun.CheckAsync(prepared.Cases, pool, options.Deadline, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WorkerFailureException or WorkerStartException)
        {
            stderr.WriteLine($"harmony: dry run: {ex.Message}");
            return Failed;
        }
        var routedSteps = prepared.Cases.Where(c => c.SkipReason is null).Sum(c => c.Routed.Steps.Count(s => !s.IsOrchestratorStep));
        stdout.WriteLine($"dry run: {prepared.Cases.Count} test case(s), {routedSteps} routed step(s); discovered " +
                         string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value} pattern(s)")));
        foreach (var group in problems.GroupBy(p => p.Platform))
        {
            stdout.WriteLine($"{group.Key}:");
            foreach (var problem in group)
            {
                stdout.WriteLine($"  {problem.Kind}: \"{problem.StepText}\"  ({string.Join(", ", problem.Locations)})");
                foreach (var candidate in problem.Candidates)
                {
                    stdout.WriteLine($"      matches {candidate}");
                }
            }
        }
        stdout.WriteLine(problems.Count == 0 ? "every step has exactly one definition on every platform" : $"{problems.Count} problem(s)");
        return problems.Count == 0 ? Ok : Failed;
    }
}
