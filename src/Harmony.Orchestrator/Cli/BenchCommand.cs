using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harmony.Orchestrator.Configuration;
using Harmony.Orchestrator.Execution;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Workers;
using Harmony.Protocol.Messages;
using Spectre.Console;

namespace Harmony.Orchestrator.Cli;

internal sealed record BenchSettings(string ConfigPath, string? Platform, int Iterations, int Scenarios, bool Features, string? JsonPath);

/// <summary>
/// <c>harmony bench</c> (hidden): measures the orchestrator stack, not the ring buffer. Per platform (every
/// configured one, or <c>--platform</c>): (1) per-call round trips p50/p99 of <c>health</c>, of a defined step
/// that does no ZeroBuffer work (<c>the 'reader' process is ready</c>) and of a step the worker cannot match;
/// (2) scenario overhead with warm workers (initialize two roles, one orchestrator step, cleanup, leak sweep);
/// then (3) wall time of every feature for the first platform's pair.
/// </summary>
internal sealed class BenchCommand(IAnsiConsole console, TextWriter stderr)
{
    private static readonly Option<string?> Platform = new("--platform") { Description = "worker platform (default: every configured one)" };
    private static readonly Option<int> Iterations = new("--iterations") { DefaultValueFactory = _ => 2000 };
    private static readonly Option<int> Scenarios = new("--scenarios") { DefaultValueFactory = _ => 100 };
    private static readonly Option<bool> NoFeatures = new("--no-features") { Description = "skip the full-feature wall-time run" };
    private static readonly Option<string?> Json = new("--json") { Description = "also write the figures as JSON" };

    public static Command Build()
    {
        var command = new Command("bench", "measure per-step and per-scenario orchestrator overhead") { Hidden = true };
        foreach (Option option in new Option[] { Platform, Iterations, Scenarios, NoFeatures, Json })
        {
            command.Options.Add(option);
        }
        return command;
    }

    public static BenchSettings Read(ParseResult result) => new(
        result.GetValue(RunCommand.Config) ?? "harmony.json",
        result.GetValue(Platform),
        Math.Max(10, result.GetValue(Iterations)),
        Math.Max(5, result.GetValue(Scenarios)),
        !result.GetValue(NoFeatures),
        result.GetValue(Json));

    public async Task<int> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var config = HarmonyConfig.Load(settings.ConfigPath);
        IReadOnlyList<string> platforms = settings.Platform is { } one ? [config.Platform(one).Name] : config.PlatformNames;
        if (platforms.Count == 0)
        {
            throw new ConfigException($"{config.File}: no platforms configured");
        }
        var perPlatform = new Dictionary<string, object>(StringComparer.Ordinal);
        var figures = new Dictionary<string, object>(StringComparer.Ordinal) { ["platforms"] = perPlatform };
        var table = new Table().Title("per-call round trip, µs (orchestrator → framing → pipes → worker → back)")
            .AddColumns("platform", "what", "p50", "p99", "max", "n");
        var failures = 0;
        await using (var pool = new WorkerPool(config, (_, _) => new WorkerLaunchOptions(), HarmonyApp.WorkerStartTimeout))
        {
            foreach (var platform in platforms)
            {
                List<Row> rows;
                try
                {
                    (rows, var failed) = await MeasurePlatformAsync(pool, platform, config, settings, ct).ConfigureAwait(false);
                    failures += failed;
                }
                catch (Exception ex) when (ex is WorkerStartException or WorkerFailureException)
                {
                    // A worker that cannot start (or dies) fails its platform, not the whole bench.
                    stderr.WriteLine($"bench: platform '{platform}': {ex.Message}");
                    failures++;
                    rows = [new Row("error", "worker", new { error = ex.Message }, ["n/a: worker failed", "", "", "0"])];
                }

                perPlatform[platform] = rows.ToDictionary(r => r.Key, r => r.Figures, StringComparer.Ordinal);
                foreach (var row in rows)
                {
                    table.AddRow(platform, row.What, row.Cells[0], row.Cells[1], row.Cells[2], row.Cells[3]);
                }
            }
        }
        console.Write(table);
        if (failures > 0)
        {
            stderr.WriteLine($"bench: {failures} platform(s) or synthetic scenario(s) failed");
            return HarmonyApp.Failed;
        }

        if (settings.Features)
        {
            var pair = $"{platforms[0]}_{platforms[0]}";
            var prepared = PlanBuilder.Prepare(new PlanOptions([pair], settings.ConfigPath, "separate-process", null, null));
            var stopwatch = Stopwatch.StartNew();
            IReadOnlyList<ScenarioResult> results;
            await using (var pool = new WorkerPool(prepared.Config, (_, _) => new WorkerLaunchOptions(), HarmonyApp.WorkerStartTimeout))
            {
                var runner = new ScenarioRunner(pool, new RunnerOptions(prepared.Config.StepTimeoutMs, null), ResourceSweeper.Default);
                results = await new RunExecutor(runner, new SilentReporter(), 1).RunAsync(prepared.Cases, ct).ConfigureAwait(false);
            }
            var wall = stopwatch.Elapsed;
            var stepsRun = results.Sum(r => r.StepsPassed);
            var workerTime = results.Sum(r => r.Duration.TotalMilliseconds);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"features wall time ({pair}, separate-process): {wall.TotalSeconds:0.00} s for {results.Count} case(s), " +
                $"{results.Count(r => r.Outcome == Outcome.Passed)} passed, {results.Count(r => r.Outcome == Outcome.Failed)} failed, {stepsRun} steps"));
            figures["featuresPair"] = pair;
            figures["featuresWallSeconds"] = Math.Round(wall.TotalSeconds, 3);
            figures["featuresCases"] = results.Count;
            figures["featuresPassed"] = results.Count(r => r.Outcome == Outcome.Passed);
            figures["featuresScenarioSecondsSum"] = Math.Round(workerTime / 1000, 3);
        }
        if (settings.JsonPath is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }), ct)
                .ConfigureAwait(false);
        }
        return HarmonyApp.Ok;
    }

    /// <summary>One line of the table: what was timed, its figures for JSON and its printed cells.</summary>
    private sealed record Row(string Key, string What, object Figures, string[] Cells);

    private async Task<(List<Row> Rows, int Failures)> MeasurePlatformAsync(
        WorkerPool pool, string platform, HarmonyConfig config, BenchSettings settings, CancellationToken ct)
    {
        var rows = new List<Row>();
        var deadline = TimeSpan.FromSeconds(35);
        var worker = await pool.AcquireAsync(platform, debugging: false, fresh: false, ct).ConfigureAwait(false);
        await worker.InitializeAsync(new InitializeParams("reader", ["reader"], platform, "bench", "bench", RunIds.New(),
            RunModes.SeparateProcess), deadline, ct).ConfigureAwait(false);

        rows.Add(Timed("healthUs", "health", await MeasureAsync($"{platform} health", settings.Iterations, () => worker.HealthAsync(deadline, ct)).ConfigureAwait(false)));

        // A defined step that does no ZeroBuffer work: matching, dispatch, the step context and the reply.
        var ready = Step("the 'reader' process is ready");
        var probe = await worker.ExecuteStepAsync(ready, deadline, ct).ConfigureAwait(false);
        rows.Add(probe.Success
            ? Timed("readyStepUs", $"executeStep \"{ready.Step}\"", await MeasureAsync($"{platform} ready step", settings.Iterations, () => worker.ExecuteStepAsync(ready, deadline, ct)).ConfigureAwait(false))
            : new Row("readyStepUs", $"executeStep \"{ready.Step}\"", new { error = probe.ErrorType },
                [$"n/a: {probe.ErrorType}", "", "", "0"]));

        var undefined = Step("the 'reader' process does nothing harmony bench");
        rows.Add(Timed("undefinedStepUs", "executeStep, undefined step (closest-pattern search)",
            await MeasureAsync($"{platform} undefined step", settings.Iterations, () => worker.ExecuteStepAsync(undefined, deadline, ct)).ConfigureAwait(false)));
        await worker.CleanupAsync(deadline, ct).ConfigureAwait(false);
        pool.Release(worker);

        var scenario = SyntheticScenario(platform);
        var runner = new ScenarioRunner(pool, new RunnerOptions(config.StepTimeoutMs, null), ResourceSweeper.Default);
        await runner.RunAsync(scenario, ct).ConfigureAwait(false); // warm both workers
        var failures = 0;
        var overhead = await MeasureAsync($"{platform} scenario", settings.Scenarios, async () =>
        {
            var result = await runner.RunAsync(scenario, ct).ConfigureAwait(false);
            if (result.Outcome != Outcome.Passed)
            {
                failures++;
            }
        }).ConfigureAwait(false);
        rows.Add(Timed("scenarioUs", "scenario overhead, warm workers (2 roles)", overhead));
        return (rows, failures);
    }

    private static ExecuteStepParams Step(string text) => new("reader", StepTypes.Given, "Given", text, null, false, 30_000, "bench");

    private static Row Timed(string key, string what, double[] sorted)
    {
        var p50 = Percentile(sorted, 0.50);
        var p99 = Percentile(sorted, 0.99);
        return new Row(key, what, new { p50 = Math.Round(p50, 1), p99 = Math.Round(p99, 1), n = sorted.Length },
            [Format(p50), Format(p99), Format(sorted[^1]), sorted.Length.ToString(CultureInfo.InvariantCulture)]);
    }

    private static string Format(double microseconds) => microseconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static TestCase SyntheticScenario(string platform)
    {
        var feature = new FeatureInfo("bench", "bench", "bench", []);
        var location = new SourceLocation("bench", 1, 1);
        var spec = new StepSpec("Given", StepKeywordKind.Given, "wait for '0' ms", null, location, false, "bench-step");
        var scenario = new ScenarioCase(feature, "0.0", "bench scenario", [], [spec], location, null, "bench-pickle");
        var routed = new RoutedScenario(scenario, [new RoutedStep(1, spec, new Wait(TimeSpan.Zero), StepTypes.Given)], ["reader", "writer"]);
        return new TestCase(routed, new Combination(["reader", "writer"], [platform, platform]), RunMode.SeparateProcess, null);
    }

    /// <summary>
    /// How long each measure warms up first. The orchestrator's own code is still moving through the JIT's tiers
    /// during the first second or so of calls; with a warm-up of a fixed 50 calls that cost fell on whichever
    /// platform came first in harmony.json (100-150 µs more per health call, either order; 2026-12-07).
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The warm-up of a real measure (at least <see cref="SteadyStateIterations"/> calls). A .NET worker's
    /// background JIT was still re-compiling StreamJsonRpc and System.Text.Json code 3 000 steps (about 1 s)
    /// in: 0.5 s of CPU over the next 3 000 steps, on a 2-core host shared with the orchestrator. It was
    /// quiet by 15 000 steps (/proc/PID/task CPU per thread, 2026-12-07). Comparing successive windows did not
    /// see it end: the medians drift down by a percent or two per window. Shorter runs are smoke runs (the
    /// tests) and warm up for <see cref="WarmUp"/> only.
    /// </summary>
    private const int SteadyStateIterations = 1000;
    private static readonly TimeSpan SteadyWarmUp = TimeSpan.FromSeconds(5);

    private async Task<double[]> MeasureAsync(string what, int iterations, Func<Task> action)
    {
        var warming = Stopwatch.StartNew();
        var minimum = iterations >= SteadyStateIterations ? SteadyWarmUp : WarmUp;
        var calls = 0;
        for (; calls < Math.Min(50, iterations / 10 + 1) || warming.Elapsed < minimum; calls++)
        {
            await action().ConfigureAwait(false);
        }
        stderr.WriteLine($"bench: {what}: warmed up with {calls} calls in {warming.Elapsed.TotalSeconds:0.0} s");
        return await TimeAsync(iterations, action).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="count"/> times; the durations in µs, sorted.</summary>
    private static async Task<double[]> TimeAsync(int count, Func<Task> action)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action().ConfigureAwait(false);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(samples);
        return samples;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private sealed class SilentReporter : IRunReporter
    {
        public void Planned(IReadOnlyList<TestCase> cases, int parallel) { }

        public void Completed(ScenarioResult result) { }

        public void Finished(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed) { }

        public void WorkerLog(string line) { }
    }
}
