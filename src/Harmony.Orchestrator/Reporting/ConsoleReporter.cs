using System.Globalization;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting.Bench;
using Harmony.Orchestrator.Results;
using Spectre.Console;

namespace Harmony.Orchestrator.Reporting;

/// <summary>
/// One line per test case as it completes (✓ ✗ skipped, duration), failure details (step with file:line,
/// error, errorType, the worker's recent logs) and a summary table per combination. Spectre.Console drops
/// colours by itself when the output is not a terminal, so CI logs stay plain.
/// </summary>
internal sealed class ConsoleReporter(IAnsiConsole console, TextWriter errors) : IRunReporter
{
    private const int MaxLogLines = 40;
    private readonly Lock _gate = new();
    private int _total;
    private int _done;

    public void Planned(IReadOnlyList<TestCase> cases, int parallel)
    {
        var run = cases.Count(c => c.SkipReason is null);
        lock (_gate)
        {
            _total = cases.Count;
            console.MarkupLine(
                $"[bold]harmony[/]: {cases.Count} test case(s), {run} to run, {cases.Count - run} skipped" +
                (parallel > 1 ? $", {parallel} in parallel" : ""));
        }
    }

    public void Completed(ScenarioResult result)
    {
        lock (_gate)
        {
            var testCase = result.Case;
            var name = Markup.Escape(testCase.DisplayName);
            var mode = Markup.Escape(testCase.Mode.Name());
            var time = Seconds(result.Duration);
            // [n/N]: how far the run is, in completion order.
            // The [n/N] counter belongs to a planned run; one case reported on its own (dotnet test) has none.
            var progress = _total > 0 ? $"[grey][[{++_done}/{_total}]][/] " : "";
            switch (result.Outcome)
            {
                case Outcome.Passed:
                    console.MarkupLine($"{progress}[green]✓[/] {name} {mode} [grey]({time})[/]");
                    break;
                case Outcome.Skipped:
                    console.MarkupLine($"{progress}[yellow]- skipped[/] {name} {mode}: {Markup.Escape(result.SkipReason ?? "")}");
                    return;
                default:
                    console.MarkupLine($"{progress}[red]✗[/] {name} {mode} [grey]({time})[/]");
                    WriteFailure(result);
                    break;
            }
            foreach (var step in result.Steps)
            {
                foreach (var metrics in step.Metrics)
                {
                    // A benchmark measurement names itself: one readable line with each ratio to its baseline.
                    console.MarkupLine(metrics.Measurement is null
                        ? $"    [grey]metrics step {step.Step.Number} [[{Markup.Escape(metrics.Role)}/{Markup.Escape(metrics.Platform)}]]: {Markup.Escape(metrics.ToString())}[/]"
                        : $"    [blue]{Markup.Escape(BenchFormat.ConsoleLine(step.Step.Number, metrics))}[/]");
                }
            }
            foreach (var warning in result.Warnings)
            {
                console.MarkupLine($"    [yellow]⚠ {Markup.Escape(warning)}[/]");
            }
        }
    }

    private void WriteFailure(ScenarioResult result)
    {
        if (result.Failure is not { } failure)
        {
            return;
        }
        console.MarkupLine($"    [red]at {Markup.Escape(failure.WhereIn(result.Case.Routed.Scenario))}[/]");
        foreach (var line in failure.Message.Split('\n'))
        {
            console.MarkupLine($"    error: {Markup.Escape(line.TrimEnd('\r'))}");
        }
        if (failure.ErrorType is { } type)
        {
            console.MarkupLine($"    errorType: {Markup.Escape(type)}");
        }
        console.MarkupLine($"    run id: {Markup.Escape(result.RunId ?? "-")}");
        var logs = failure.RecentLogs.Count > 0 ? failure.RecentLogs : result.Logs;
        if (logs.Count > 0)
        {
            console.MarkupLine("    recent worker logs:");
            foreach (var line in logs.Skip(Math.Max(0, logs.Count - MaxLogLines)))
            {
                console.MarkupLine($"      [grey]{Markup.Escape(line)}[/]");
            }
        }
    }

    public void Finished(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed)
    {
        lock (_gate)
        {
            var table = new Table().Title("Summary").AddColumns("Combination", "Mode", "Passed", "Failed", "Skipped", "Time");
            foreach (var group in results.GroupBy(r => (r.Case.Combination.Name, Mode: r.Case.Mode)))
            {
                var failed = group.Count(r => r.Outcome == Outcome.Failed);
                table.AddRow(
                    Markup.Escape(group.Key.Name),
                    Markup.Escape(group.Key.Mode.Name()),
                    group.Count(r => r.Outcome == Outcome.Passed).ToString(CultureInfo.InvariantCulture),
                    failed == 0 ? "0" : $"[red]{failed}[/]",
                    group.Count(r => r.Outcome == Outcome.Skipped).ToString(CultureInfo.InvariantCulture),
                    Seconds(TimeSpan.FromTicks(group.Sum(r => r.Duration.Ticks))));
            }
            console.WriteLine();
            console.Write(table);
            var passed = results.Count(r => r.Outcome == Outcome.Passed);
            var failedTotal = results.Count(r => r.Outcome == Outcome.Failed);
            var skipped = results.Count(r => r.Outcome == Outcome.Skipped);
            var colour = failedTotal == 0 ? "green" : "red";
            console.MarkupLine(
                $"[{colour}]{passed} passed, {failedTotal} failed, {skipped} skipped[/] in {Seconds(elapsed)}");
            var failing = results.Where(r => r.Outcome == Outcome.Failed).ToList();
            if (failing.Count > 0)
            {
                console.MarkupLine("[red]Failing scenarios:[/]");
                foreach (var result in failing)
                {
                    console.MarkupLine($"  ./test.sh {Markup.Escape(RerunEntry.Of(result.Case).ToString())}  [grey]# {Markup.Escape(result.Case.Routed.Scenario.Name)}[/]");
                }
            }
        }
    }

    public void WorkerLog(string line)
    {
        lock (_gate)
        {
            errors.WriteLine(line);
        }
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds < 1
        ? duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
