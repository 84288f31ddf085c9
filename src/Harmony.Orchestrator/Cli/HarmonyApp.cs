using System.CommandLine;
using System.Diagnostics;
using Harmony.Orchestrator.Configuration;
using Harmony.Orchestrator.Debugging;
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
internal sealed class HarmonyApp(IAnsiConsole console, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
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
        var parse = root.Parse(args, RunCommand.Parsing);
        if (RunCommand.IsHelp(parse))
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        var unknown = (parse.GetValue(RunCommand.Selection) ?? []).Where(t => t.StartsWith('-')).ToList();
        if (parse.Errors.Count > 0 || unknown.Count > 0)
        {
            foreach (var option in unknown)
            {
                stderr.WriteLine($"harmony: unknown option '{option}'");
            }
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
        foreach (var report in reports)
        {
            report.CheckWritable();
        }
        if (settings.RerunFile is { } rerunFile)
        {
            ReportTarget.CheckWritable(rerunFile, "rerun file");
        }
        var prepared = PlanBuilder.Prepare(settings.Plan);
        CheckDebugRole(settings.DebugRole, prepared);
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
            foreach (var report in reports)
            {
                await report.WriteAsync(prepared.Features, [], DateTimeOffset.UtcNow, TimeSpan.Zero).ConfigureAwait(false);
                stdout.WriteLine(report.Describe());
            }
            return NothingRan(settings, EmptyReason(settings, prepared));
        }

        var reporter = new ConsoleReporter(console, stderr);
        var stepTimeout = settings.StepTimeoutMs ?? prepared.Config.StepTimeoutMs;
        var pause = settings.Pauses ? new Breakpoints(settings.BreakAt, settings.StepThrough, stdin ?? Console.In, stdout) : null;
        var runnerOptions = new RunnerOptions(stepTimeout, settings.DebugRole, pause);
        var hints = new DebugHints(reporter.WorkerLog);
        TimeSpan? debuggerTimeout = settings.DebugTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        await using var pool = new WorkerPool(prepared.Config, (platform, debugging) => new WorkerLaunchOptions(
            debugging, settings.Verbose || debugging ? reporter.WorkerLog : null, hints.Started, debuggerTimeout), Max(WorkerStartTimeout, runnerOptions.Deadline));
        if (settings.DryRun)
        {
            return await DryRunAsync(prepared, pool, runnerOptions, ct).ConfigureAwait(false);
        }

        reporter.Planned(prepared.Cases, settings.Parallel);
        var started = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        var runner = new ScenarioRunner(pool, runnerOptions, ResourceSweeper.Default);
        var results = await new RunExecutor(runner, reporter, settings.Parallel, settings.FailFast).RunAsync(prepared.Cases, ct).ConfigureAwait(false);
        reporter.Finished(results, stopwatch.Elapsed);
        if (settings.FailFast && results.Count < prepared.Cases.Count && !ct.IsCancellationRequested)
        {
            stdout.WriteLine($"harmony: --fail-fast: stopped after a failure; {prepared.Cases.Count - results.Count} test case(s) not run");
        }
        if (settings.RerunFile is { } rerun)
        {
            await File.WriteAllLinesAsync(rerun, results.Where(r => r.Outcome == Outcome.Failed).Select(r => RerunEntry.Of(r.Case).ToString()), ct)
                .ConfigureAwait(false);
            stdout.WriteLine($"failed test cases written to {rerun} (run them again: ./test.sh @{rerun})");
        }
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
        if (results.Any(r => r.Outcome == Outcome.Failed))
        {
            return Failed;
        }
        return results.All(r => r.Outcome == Outcome.Skipped) ? NothingRan(settings, EmptyReason(settings, prepared)) : Ok;
    }

    /// <summary>An empty run is a mistake in the selection more often than not: say why, and fail unless allowed.</summary>
    private int NothingRan(RunSettings settings, string why)
    {
        stderr.WriteLine($"harmony: nothing ran: {why}" + (settings.AllowEmpty ? "" : " (--allow-empty accepts this)"));
        return settings.AllowEmpty ? Ok : Failed;
    }

    private static string EmptyReason(RunSettings settings, PreparedRun prepared)
    {
        if (prepared.Cases.Count > 0)
        {
            var reasons = prepared.Cases.Select(c => c.SkipReason).OfType<string>().Distinct();
            return $"every selected test case is skipped ({string.Join("; ", reasons)})";
        }
        if (settings.Shard is { } shard && prepared.UnshardedCount > 0)
        {
            return $"shard {shard} of {prepared.UnshardedCount} planned test case(s) is empty";
        }
        var sameProcessOnly = prepared.Modes is [RunMode.SameProcess];
        return "no test case matches the selection (pair or platform, test numbers, --tags and --mode together)" +
               (sameProcessOnly ? "; same-process mode runs only combinations of one platform, e.g. csharp_csharp" : "");
    }

    /// <exception cref="UsageException">--debug names a role that no test case to run has.</exception>
    private static void CheckDebugRole(string? role, PreparedRun prepared)
    {
        if (role is null or "all" || prepared.Cases.Count == 0)
        {
            return;
        }
        if (!prepared.Cases.Any(c => c.SkipReason is null && c.Routed.Roles.Contains(role)))
        {
            var roles = prepared.Cases.SelectMany(c => c.Routed.Roles).Distinct().Order(StringComparer.Ordinal);
            throw new UsageException($"--debug {role}: no selected scenario has a '{role}' role (they have: {string.Join(", ", roles)})");
        }
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
                if (problem.Detail is not null)
                {
                    stdout.WriteLine($"      {problem.Detail}");
                }
                foreach (var suggestion in problem.Suggestions ?? [])
                {
                    stdout.WriteLine($"      did you mean {suggestion}");
                }
                if (problem.Snippet is not null)
                {
                    stdout.WriteLine($"      define it ({group.Key}):");
                    foreach (var line in problem.Snippet.Split('\n'))
                    {
                        stdout.WriteLine($"        {line}");
                    }
                }
            }
        }
        stdout.WriteLine(problems.Count == 0 ? "every step has exactly one definition on every platform" : $"{problems.Count} problem(s)");
        return problems.Count == 0 ? Ok : Failed;
    }
}
