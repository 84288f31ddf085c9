using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harmony.Orchestrator.Features;
using Harmony.Orchestrator.Planning;
using Harmony.Orchestrator.Results;
using Harmony.Orchestrator.Workers;
using Harmony.Protocol.Messages;

namespace Harmony.Orchestrator.Execution;

/// <summary>
/// Runs one test case: takes a worker per role (or one for every role in same-process mode), initializes
/// it with a fresh run id, executes the routed steps in order (orchestrator steps itself), stops at the
/// first failure, then cleans up: workers whose cleanup succeeds go back to the pool, others are replaced,
/// and whatever the run id left in /dev/shm or the lock directory is removed and reported.
/// </summary>
internal sealed class ScenarioRunner(WorkerPool pool, RunnerOptions options, ResourceSweeper sweeper)
{
    private const int LogTailLines = 30;

    public async Task<ScenarioResult> RunAsync(TestCase testCase, CancellationToken ct)
    {
        if (testCase.SkipReason is { } reason)
        {
            return ScenarioResult.Skipped(testCase, reason);
        }
        var run = new Run(testCase, RunIds.New(), options.DebugRole);
        var startedAt = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        StepFailure? failure = null;
        var records = new List<StepRecord>();
        try
        {
            failure = await StartWorkersAsync(run, ct).ConfigureAwait(false);
            foreach (var step in testCase.Routed.Steps)
            {
                if (failure is not null)
                {
                    break;
                }
                if (options.Pause is { } pause && pause.Matches(step))
                {
                    await pause.PauseAsync(run.RunId, testCase, step, ct).ConfigureAwait(false);
                }
                var stepWatch = Stopwatch.StartNew();
                failure = await ExecuteAsync(run, step, ct).ConfigureAwait(false);
                records.Add(new StepRecord(step, failure is null ? Outcome.Passed : Outcome.Failed, stepWatch.Elapsed, run.MetricsOf(step)));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            failure ??= new StepFailure(null, "interrupted (Ctrl+C / SIGTERM)", null, []);
        }
        finally
        {
            await FinishAsync(run, ct.IsCancellationRequested).ConfigureAwait(false);
        }
        SweepLeaks(run);
        if (failure is not null && records.All(r => r.Outcome != Outcome.Failed) && testCase.Routed.Steps.Count > records.Count)
        {
            // Failed before a step could fail (workers did not start, or interrupted): the next step carries it.
            records.Add(new StepRecord(testCase.Routed.Steps[records.Count], Outcome.Failed, TimeSpan.Zero, []));
        }
        records.AddRange(testCase.Routed.Steps.Skip(records.Count).Select(s => new StepRecord(s, Outcome.Skipped, TimeSpan.Zero, [])));
        return new ScenarioResult(
            testCase,
            failure is null ? Outcome.Passed : Outcome.Failed,
            stopwatch.Elapsed,
            run.RunId,
            failure,
            run.LogLines(),
            run.WarningLines(),
            records) { StartedAt = startedAt };
    }

    /// <summary>
    /// Removes what the run left behind. When a step killed or crashed a role, nobody may unlink that role's
    /// buffers (a dead owner's resources stay by design), so the sweep is expected: logged, not warned.
    /// </summary>
    private void SweepLeaks(Run run)
    {
        var crashed = run.CrashedRoles;
        foreach (var leaked in sweeper.Sweep(run.RunId))
        {
            if (crashed.Count > 0)
            {
                run.Log($"[harmony] debug: removed {leaked}, left behind because '{string.Join("', '", crashed)}' was killed by a step");
            }
            else
            {
                run.Warn($"leaked resource removed after the scenario: {leaked}");
            }
        }
    }

    private async Task<StepFailure?> StartWorkersAsync(Run run, CancellationToken ct)
    {
        // Concurrently: cold starts of two roles overlap instead of adding up.
        var failures = await Task.WhenAll(run.Slots.Select(slot => StartSlotAsync(run, slot, null, ct))).ConfigureAwait(false);
        return failures.FirstOrDefault(f => f is not null);
    }

    private async Task<StepFailure?> StartSlotAsync(
        Run run, WorkerSlot slot, RoutedStep? step, CancellationToken ct, IReadOnlyList<string>? wrapper = null)
    {
        WorkerClient? client = null;
        try
        {
            client = wrapper is null
                ? await pool.AcquireAsync(slot.Platform, slot.Debugging, fresh: step is not null, ct).ConfigureAwait(false)
                : await pool.StartWrappedAsync(slot.Platform, wrapper, ct).ConfigureAwait(false);
            client.Role = slot.Role;
            client.Process.Label = $"{slot.Role}/{slot.Platform}";
            client.MarkScenarioStart();
            if (slot.Debugging)
            {
                run.Log($"[harmony] debugging {client.Describe()}: attach a debugger to pid {client.Pid}; step deadlines are off");
            }
            var initialize = new InitializeParams(
                slot.Role,
                run.Case.Routed.Roles,
                slot.Platform,
                run.Case.Routed.Scenario.Name,
                run.Case.Routed.Scenario.Feature.Name,
                run.RunId,
                run.Case.Mode == RunMode.SameProcess ? RunModes.SameProcess : RunModes.SeparateProcess);
            await client.InitializeAsync(initialize, options.Deadline, ct).ConfigureAwait(false);
            slot.Client = client;
            slot.KilledAtStep = null;
            return null;
        }
        catch (Exception ex) when (ex is WorkerFailureException or WorkerStartException)
        {
            var logs = Stderr(slot, client?.RecentStderr(LogTailLines) ?? (ex as WorkerFailureException)?.Logs ?? []);
            if (client is not null)
            {
                await pool.DiscardAsync(client).ConfigureAwait(false);
            }
            return new StepFailure(step, $"could not start the '{slot.Role}' worker ({slot.Platform}): {ex.Message}", null, logs);
        }
    }

    private async Task<StepFailure?> ExecuteAsync(Run run, RoutedStep step, CancellationToken ct)
    {
        switch (step.Action)
        {
            case Wait wait:
                await Task.Delay(wait.Duration, ct).ConfigureAwait(false);
                return null;
            case KillRole kill when run.Case.Mode == RunMode.SameProcess:
                return await SimulateCrashAsync(run, step, kill.Role, ct).ConfigureAwait(false);
            case KillRole kill:
                return await KillAsync(run, step, kill.Role).ConfigureAwait(false);
            case StartRole start:
                return await RestartAsync(run, step, start.Role, ct).ConfigureAwait(false);
            case StartRoleAsUser or StartRoleWithPrivateShm:
                return await StartWrappedAsync(run, step, ct).ConfigureAwait(false);
            case SendToRole send:
                return await SendAsync(run, run.SlotFor(send.Role), send.Role, step, isBroadcast: false, ct).ConfigureAwait(false);
            case SendToAll:
                var targets = run.Slots.Select(slot => (Func<Task<StepFailure?>>)(() =>
                    SendAsync(run, slot, slot.Role, step, isBroadcast: true, ct)));
                return await BroadcastStep.RunAsync(targets).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"unknown step action {step.Action}");
        }
    }

    /// <summary>
    /// Same-process mode: every role shares one worker, so a crash of one role is simulated by that worker
    /// (WORKER-PROTOCOL.md <c>simulateCrash</c>): the role's readers and writers are abandoned as a dead
    /// process leaves them and their pid fields name a dead process. The worker itself lives on.
    /// </summary>
    private async Task<StepFailure?> SimulateCrashAsync(Run run, RoutedStep step, string role, CancellationToken ct)
    {
        var slot = run.SlotFor(role);
        if (slot.Client is not { } client)
        {
            return Dead(slot, step);
        }
        string? refusal;
        try
        {
            var reply = await client.SimulateCrashAsync(role, options.Deadline, ct).ConfigureAwait(false);
            refusal = reply.Ok ? null : "it answered ok=false";
        }
        catch (WorkerFailureException ex)
        {
            refusal = ex.Message;
        }
        if (refusal is not null)
        {
            return new StepFailure(step,
                $"{client.Describe()} could not simulate a crash of '{role}' in same-process mode: {refusal}",
                "SimulateCrashFailed", Stderr(slot, client.RecentStderr(LogTailLines)));
        }
        run.MarkCrashed(role);
        run.Log($"[harmony] step {step.Number}: {client.Describe()} simulated a crash of '{role}' (same-process mode)");
        return null;
    }

    private async Task<StepFailure?> KillAsync(Run run, RoutedStep step, string role)
    {
        var slot = run.SlotFor(role);
        if (slot.Client is not { } client)
        {
            return Dead(slot, step);
        }
        client.Kill();
        await client.Process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        run.Log($"[harmony] step {step.Number}: sent SIGKILL to {client.Describe()}; it {client.Process.ExitDescription ?? "has not exited yet"}");
        slot.LastStderr = Stderr(slot, client.RecentStderr(LogTailLines));
        slot.Client = null;
        slot.KilledAtStep = step.Number;
        slot.KilledByText = step.Spec.Text;
        run.MarkCrashed(role);
        await pool.DiscardAsync(client).ConfigureAwait(false);
        return null;
    }

    private async Task<StepFailure?> RestartAsync(Run run, RoutedStep step, string role, CancellationToken ct)
    {
        if (run.Case.Mode == RunMode.SameProcess)
        {
            // The role lives on in the shared worker: after a simulated crash it simply creates or
            // connects again, as the new process would.
            run.Log($"[harmony] step {step.Number}: '{role}' lives on in the shared worker (same-process mode); nothing to start");
            return null;
        }
        var slot = run.SlotFor(role);
        if (slot.Client is { } old)
        {
            // The role is alive: retire it so the role has exactly one (new) process.
            slot.Client = null;
            await pool.RetireAsync(old).ConfigureAwait(false);
        }
        var failure = await StartSlotAsync(run, slot, step, ct).ConfigureAwait(false);
        if (failure is null)
        {
            run.Log($"[harmony] step {step.Number}: started {slot.Client!.Describe()}");
        }
        return failure;
    }

    /// <summary>A new worker for the role through a wrapper (another user, a private /dev/shm), replacing the role's worker.</summary>
    private async Task<StepFailure?> StartWrappedAsync(Run run, RoutedStep step, CancellationToken ct)
    {
        var start = WrappedStart.For(step.Action, run.Case.Mode, Environment.IsPrivilegedProcess, () => File.ReadLines("/etc/passwd"));
        if (start.Wrapper is not { } wrapper)
        {
            return new StepFailure(step, start.Refusal!, "OrchestratorStepRefused", []);
        }
        var slot = run.SlotFor(start.Role);
        if (slot.Client is { } old)
        {
            slot.Client = null;
            await pool.RetireAsync(old).ConfigureAwait(false);
        }
        var failure = await StartSlotAsync(run, slot, step, ct, wrapper).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure with { Message = failure.Message + start.StartFailureHint };
        }
        run.Log($"[harmony] step {step.Number}: started {slot.Client!.Describe()} {start.Description}");
        return null;
    }

    private async Task<StepFailure?> SendAsync(
        Run run, WorkerSlot slot, string process, RoutedStep step, bool isBroadcast, CancellationToken ct)
    {
        if (slot.Client is not { } client)
        {
            return Dead(slot, step);
        }
        var timeoutMs = client.IsDebugging ? RunnerOptions.DebugTimeoutMs : options.StepTimeoutMs;
        var parameters = new ExecuteStepParams(
            process,
            step.StepType,
            step.Spec.Keyword,
            step.Spec.Text,
            ToArgument(step.Spec.Argument),
            isBroadcast,
            timeoutMs,
            $"{run.RunId}-{step.Number.ToString(CultureInfo.InvariantCulture)}");
        StepResult result;
        try
        {
            result = await client.ExecuteStepAsync(parameters, client.IsDebugging ? null : options.Deadline, ct).ConfigureAwait(false);
        }
        catch (StepCancelledException ex)
        {
            return new StepFailure(step, ex.Message, "StepCancelled", Stderr(slot, client.RecentStderr(LogTailLines)));
        }
        catch (WorkerFailureException ex)
        {
            var logs = Stderr(slot, client.RecentStderr(LogTailLines));
            slot.LastStderr = logs;
            slot.Client = null;
            slot.KilledAtStep = step.Number;
            slot.KilledByText = $"(failed: {ex.Message})";
            await pool.DiscardAsync(client).ConfigureAwait(false);
            return new StepFailure(step, $"{ex.Message} at step {step.Number}", ex.Kind == WorkerFailureKind.Timeout ? "WorkerTimeout" : "WorkerFailed", logs);
        }
        var prefix = $"[{slot.Role}/{slot.Platform}]";
        var entries = result.Logs ?? [];
        foreach (var entry in entries)
        {
            run.Log(Format(entry, prefix), entry.Timestamp);
        }
        if (result.Data?.GetValueOrDefault("metrics") is { ValueKind: JsonValueKind.Object } metrics)
        {
            JsonElement? baseline = result.Data.GetValueOrDefault("baseline") is { ValueKind: JsonValueKind.Object } b ? b : null;
            run.AddMetrics(step, new WorkerMetrics(process, slot.Platform, metrics, baseline)
            {
                Measurement = DataString(result.Data, "measurement"),
                BaselineName = DataString(result.Data, "baselineName"),
            });
        }
        if (result.Success)
        {
            return null;
        }
        // Workers also write their log entries to stderr: print each line once, as its log entry.
        var stderrOnly = client.RecentStderr(LogTailLines)
            .Where(line => !entries.Any(e => e.Message.Length > 0 && line.Contains(e.Message, StringComparison.Ordinal)));
        var workerLogs = entries.Select(e => Format(e, prefix)).Concat(Stderr(slot, stderrOnly)).ToList();
        return new StepFailure(
            step,
            $"{client.Describe()}: {result.Error ?? "the step failed without a message"}",
            result.ErrorType,
            workerLogs);
    }

    private static string? DataString(IReadOnlyDictionary<string, JsonElement> data, string name) =>
        data.GetValueOrDefault(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string Format(LogEntry entry, string prefix) =>
        $"{entry.Timestamp.ToUniversalTime():HH:mm:ss.fff} {prefix} {entry.Level}: {entry.Message}";

    private static IReadOnlyList<string> Stderr(WorkerSlot slot, IEnumerable<string> lines) =>
        lines.Select(l => $"[{slot.Role}/{slot.Platform}] stderr: {l}").ToList();

    private static StepFailure Dead(WorkerSlot slot, RoutedStep step) => new(
        step,
        slot.KilledAtStep is { } at
            ? $"worker '{slot.Role}' was killed at step {at} ({slot.KilledByText}) and has not been started again (add \"a new '{slot.Role}' process is started\")"
            : $"worker '{slot.Role}' is not running",
        null,
        slot.LastStderr);

    private static StepArgument? ToArgument(StepArgumentSpec? argument) => argument switch
    {
        DataTableSpec table => new StepArgument(new DataTableArgument(table.Header, table.Rows), null),
        DocStringSpec doc => new StepArgument(null, new DocStringArgument(doc.Content, doc.MediaType)),
        _ => null,
    };

    private async Task FinishAsync(Run run, bool interrupted)
    {
        await Task.WhenAll(run.Slots.Select(async slot =>
        {
            if (slot.Client is not { } client)
            {
                return;
            }
            slot.Client = null;
            if (interrupted)
            {
                await pool.DiscardAsync(client).ConfigureAwait(false);
                return;
            }
            try
            {
                var cleanup = await client.CleanupAsync(options.Deadline, CancellationToken.None).ConfigureAwait(false);
                if (cleanup.Released is { Count: > 0 } released)
                {
                    run.Log($"[harmony] cleanup of {client.Describe()} released: {string.Join(", ", released)}");
                }
                if (!cleanup.Ok)
                {
                    run.Warn($"cleanup of {client.Describe()} returned ok=false; the worker was replaced");
                    await pool.DiscardAsync(client).ConfigureAwait(false);
                }
                else if (client.IsDebugging)
                {
                    await pool.RetireAsync(client).ConfigureAwait(false);
                }
                else
                {
                    pool.Release(client);
                }
            }
            catch (WorkerFailureException ex)
            {
                run.Warn($"cleanup failed: {ex.Message}; the worker was replaced");
                await pool.DiscardAsync(client).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
    }

    /// <summary>The state of one scenario run.</summary>
    private sealed class Run
    {
        private readonly Dictionary<string, WorkerSlot> _slotByRole = new(StringComparer.Ordinal);

        public Run(TestCase testCase, string runId, string? debugRole)
        {
            Case = testCase;
            RunId = runId;
            var roles = testCase.Routed.Roles;
            if (testCase.Mode == RunMode.SameProcess)
            {
                var platform = testCase.Combination.PlatformOf(roles[0]);
                var debugging = debugRole is { } d && (d == "all" || roles.Contains(d));
                var shared = new WorkerSlot("all", platform, debugging);
                foreach (var role in roles)
                {
                    _slotByRole[role] = shared;
                }
                Slots = [shared];
            }
            else
            {
                foreach (var role in roles)
                {
                    _slotByRole[role] = new WorkerSlot(role, testCase.Combination.PlatformOf(role), debugRole == role);
                }
                Slots = roles.Select(r => _slotByRole[r]).ToList();
            }
        }

        public TestCase Case { get; }

        public string RunId { get; }

        public IReadOnlyList<WorkerSlot> Slots { get; }

        private readonly List<(DateTimeOffset At, string Line)> _logs = [];
        private readonly List<string> _warnings = [];
        private readonly SortedSet<string> _crashed = new(StringComparer.Ordinal);

        /// <summary>Roles a step killed (or, in same-process mode, crashed): their resources may stay behind.</summary>
        public IReadOnlyCollection<string> CrashedRoles
        {
            get
            {
                lock (_crashed)
                {
                    return _crashed.ToList();
                }
            }
        }

        public void MarkCrashed(string role)
        {
            lock (_crashed)
            {
                _crashed.Add(role);
            }
        }

        // Broadcast steps log from several workers at once; a worker's entries carry the worker's own time.
        public void Log(string line, DateTimeOffset? at = null)
        {
            lock (_logs)
            {
                _logs.Add((at ?? DateTimeOffset.UtcNow, line));
            }
        }

        public void Warn(string line)
        {
            lock (_warnings)
            {
                _warnings.Add(line);
            }
        }

        public IReadOnlyList<string> LogLines()
        {
            lock (_logs)
            {
                // In time order across workers (OrderBy is stable: equal times keep their arrival order).
                return _logs.OrderBy(l => l.At).Select(l => l.Line).ToList();
            }
        }

        public IReadOnlyList<string> WarningLines()
        {
            lock (_warnings)
            {
                return _warnings.ToList();
            }
        }

        public WorkerSlot SlotFor(string role) => _slotByRole[role];

        private readonly Dictionary<int, List<WorkerMetrics>> _metrics = [];

        public void AddMetrics(RoutedStep step, WorkerMetrics metrics)
        {
            lock (_metrics)
            {
                if (!_metrics.TryGetValue(step.Number, out var list))
                {
                    _metrics[step.Number] = list = [];
                }
                list.Add(metrics);
            }
        }

        public IReadOnlyList<WorkerMetrics> MetricsOf(RoutedStep step)
        {
            lock (_metrics)
            {
                return _metrics.TryGetValue(step.Number, out var list) ? list.ToList() : [];
            }
        }
    }
}
