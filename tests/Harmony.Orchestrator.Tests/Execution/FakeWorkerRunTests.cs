using System.Text.Json;
using System.Text.RegularExpressions;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>The orchestrator end to end against the scripted fake worker (FakeWorker/fake_worker.py).</summary>
[Collection(ProcessTests.Name)]
public class FakeWorkerRunTests
{
    private const string TwoScenarios = """
        Feature: Fake
          Scenario: Test 1.1 - Both roles succeed
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
            When every process succeeds
            Then the 'writer' process says table
              | a | b |
              | 1 | 2 |
          Scenario: Test 1.2 - Again
            Given the 'writer' process succeeds
            And the 'reader' process succeeds
        """;

    [Fact]
    public async Task Passing_run_initializes_routes_broadcasts_reuses_workers_and_shuts_them_down()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("✓ Test 1.1 - Both roles succeed [csharp_python: reader=csharp, writer=python] separate-process", run.Stdout);
        Assert.Contains("2 passed, 0 failed, 0 skipped", run.Stdout);

        var initializes = run.Requests("initialize").Select(e => e.GetProperty("params")).ToList();
        Assert.Equal(4, initializes.Count);
        Assert.All(initializes, p => Assert.Matches("^h[0-9a-f]{10}$", p.GetProperty("runId").GetString()));
        Assert.All(initializes, p => Assert.Equal("separate-process", p.GetProperty("mode").GetString()));
        Assert.All(initializes, p => Assert.Equal(["reader", "writer"], p.GetProperty("roles").EnumerateArray().Select(r => r.GetString())));
        var reader = initializes.First(p => p.GetProperty("role").GetString() == "reader");
        Assert.Equal("csharp", reader.GetProperty("platform").GetString());
        Assert.Equal("Test 1.1 - Both roles succeed", reader.GetProperty("scenario").GetString());
        Assert.Equal("Fake", reader.GetProperty("feature").GetString());
        // Each scenario run has its own run id; both roles of a run share it.
        Assert.Equal(2, initializes.Select(p => p.GetProperty("runId").GetString()).Distinct().Count());

        var steps = run.Requests("executeStep").Select(e => e.GetProperty("params")).ToList();
        var broadcast = steps.Where(p => p.GetProperty("step").GetString() == "every process succeeds").ToList();
        Assert.Equal(2, broadcast.Count);
        Assert.All(broadcast, p => Assert.True(p.GetProperty("isBroadcast").GetBoolean()));
        Assert.Equal(["reader", "writer"], broadcast.Select(p => p.GetProperty("process").GetString()).Order());
        var first = steps[0];
        Assert.Equal("reader", first.GetProperty("process").GetString());
        Assert.Equal("given", first.GetProperty("stepType").GetString());
        Assert.Equal("Given", first.GetProperty("keyword").GetString());
        Assert.Equal(10000, first.GetProperty("timeoutMs").GetInt32());
        var table = steps.Single(p => p.GetProperty("step").GetString() == "the 'writer' process says table");
        Assert.Equal("then", table.GetProperty("stepType").GetString());
        Assert.Equal(["a", "b"], table.GetProperty("argument").GetProperty("table").GetProperty("header").EnumerateArray().Select(c => c.GetString()));

        // Two workers served both scenarios (cleanup between them), then each got shutdown and exited.
        Assert.Equal(2, run.InitializedPids.Count);
        Assert.Equal(4, run.Requests("cleanup").Count());
        Assert.Equal(run.WorkerPids.Count, run.Requests("shutdown").Count()); // spares included
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Failing_step_reports_step_location_error_type_and_logs_and_the_run_goes_on()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Fails
                Given the 'reader' process succeeds
                When the 'writer' process fails with '3 frames'
                Then the 'reader' process succeeds
              Scenario: Test 1.2 - Passes
                Given the 'reader' process succeeds
                And the 'writer' process succeeds
            """);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("✗ Test 1.1 - Fails [csharp_python: reader=csharp, writer=python]", run.Stdout);
        Assert.Contains("at step 2 \"When the 'writer' process fails with '3 frames'\" (", run.Stdout);
        Assert.Contains("01-fake.feature:4)", run.Stdout);
        Assert.Matches(@"error: worker 'writer' \(python, pid \d+\): expected 3 frames", run.Stdout);
        Assert.Contains("errorType: AssertionFailed", run.Stdout);
        Assert.Contains("the fake worker failed on purpose", run.Stdout);
        Assert.Contains("about to fail: 3 frames", run.Stdout);
        Assert.Contains("✓ Test 1.2 - Passes", run.Stdout);
        // Steps after the failure are not sent.
        Assert.Single(run.Requests("executeStep"), e => e.GetProperty("params").GetProperty("step").GetString() == "the 'reader' process succeeds"
            && run.Requests("executeStep").ToList().IndexOf(e) < 2);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Hanging_step_is_killed_after_timeout_plus_slack_and_the_worker_replaced()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Hangs
                Given the 'reader' process succeeds
                When the 'writer' process hangs
              Scenario: Test 1.2 - Next one still runs
                Given the 'writer' process succeeds
            """);
        var started = DateTime.UtcNow;
        var run = await harness.RunAsync("csharp_python", "--step-timeout", "200");
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"worker 'writer' \(python, pid \d+\) did not answer 'executeStep' within 5200 ms; it was killed at step 2", run.Stdout);
        Assert.Contains("errorType: WorkerTimeout", run.Stdout);
        Assert.Contains("hanging forever", run.Stdout);
        Assert.Contains("✓ Test 1.2 - Next one still runs [csharp: writer=csharp]", run.Stdout);
        Assert.InRange(elapsed.TotalSeconds, 5.0, 20);
        Assert.Equal(200, run.Requests("executeStep").First().GetProperty("params").GetProperty("timeoutMs").GetInt32());
        // At the step's own timeout StreamJsonRpc asked the worker to cancel it (this fake cannot, so it was killed later).
        var cancel = Assert.Single(run.Requests("$/cancelRequest"));
        Assert.Equal(JsonValueKind.Number, cancel.GetProperty("params").GetProperty("id").ValueKind);
        // The hung worker was killed; scenario 2 ran on the reused csharp worker, never on the hung one.
        var hungPid = run.Requests("executeStep").Single(e => e.GetProperty("params").GetProperty("step").GetString() == "the 'writer' process hangs").GetProperty("pid").GetInt32();
        Assert.False(Processes.IsAlive(hungPid));
        Assert.Equal(2, run.InitializedPids.Count);
        Assert.NotEqual(hungPid, run.Requests("initialize").Last().GetProperty("pid").GetInt32());
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Step_is_cancelled_at_its_timeout_and_a_worker_that_honours_it_is_kept()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Cancelled
                Given the 'reader' process succeeds
                When the 'writer' process waits to be cancelled
              Scenario: Test 1.2 - Same workers again
                Given the 'writer' process succeeds
                And the 'reader' process succeeds
            """);
        var started = DateTime.UtcNow;
        var run = await harness.RunAsync("csharp_python", "--step-timeout", "300");

        Assert.Equal(1, run.ExitCode);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.3, 4.5); // well before timeout + 5 s
        Assert.Contains("error: worker 'writer' (python, pid", run.Stdout);
        Assert.Contains("cancelled by the orchestrator", run.Stdout);
        Assert.Contains("errorType: StepCancelled", run.Stdout);
        Assert.Single(run.Requests("$/cancelRequest"));
        Assert.Contains("✓ Test 1.2 - Same workers again", run.Stdout);
        Assert.Equal(2, run.InitializedPids.Count); // nothing was killed or replaced
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Worker_exiting_mid_step_is_named_with_pid_exit_code_and_step()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Crashes
                Given the 'reader' process succeeds
                When the 'writer' process crashes mid-step with exit code '3'
                Then the 'reader' process succeeds
              Scenario: Test 1.2 - After the crash
                Given the 'writer' process succeeds
                And the 'reader' process succeeds
            """);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"worker 'writer' \(python, pid \d+\) exited \(exit code 3\) during 'executeStep' at step 2", run.Stdout);
        Assert.Contains("crashing with exit code 3", run.Stdout);
        Assert.Contains("✓ Test 1.2 - After the crash", run.Stdout);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Kill_step_sigkills_the_worker_and_later_steps_for_that_role_fail_clearly()
    {
        using var harness = new HarmonyHarness().Feature("02-kill", """
            Feature: Kill
              Scenario: Test 2.1 - Killed and used
                Given the 'writer' process reports its pid
                And the 'reader' process succeeds
                When the 'writer' process crashes while writing
                Then the 'reader' process succeeds
                And the 'writer' process succeeds
            """);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("worker 'writer' was killed at step 3 (the 'writer' process crashes while writing) and has not been started again", run.Stdout);
        Assert.Contains("at step 5 \"And the 'writer' process succeeds\"", run.Stdout);
        // The kill was real: the writer's process never got a cleanup or shutdown request.
        var writerPid = run.Requests("initialize").Single(e => e.GetProperty("params").GetProperty("role").GetString() == "writer").GetProperty("pid").GetInt32();
        Assert.DoesNotContain(run.Requests("cleanup"), e => e.GetProperty("pid").GetInt32() == writerPid);
        Assert.DoesNotContain(run.Events, e => e.GetProperty("pid").GetInt32() == writerPid && e.GetProperty("event").GetString() == "exit");
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task A_new_process_after_a_kill_is_a_fresh_worker_with_the_same_platform()
    {
        using var harness = new HarmonyHarness().Feature("02-kill", """
            Feature: Kill
              Scenario: Test 2.3 - Replaced
                Given the 'reader' process succeeds
                And the 'writer' process succeeds
                When the 'reader' process is killed
                And a new 'reader' process is started
                And wait for '10' ms
                Then the 'reader' process succeeds
            """);
        var run = await harness.RunAsync("python_csharp", "-v");

        Assert.Equal(0, run.ExitCode);
        var readerInits = run.Requests("initialize").Where(e => e.GetProperty("params").GetProperty("role").GetString() == "reader").ToList();
        Assert.Equal(2, readerInits.Count);
        Assert.NotEqual(readerInits[0].GetProperty("pid").GetInt32(), readerInits[1].GetProperty("pid").GetInt32());
        Assert.All(readerInits, e => Assert.Equal("python", e.GetProperty("params").GetProperty("platform").GetString()));
        Assert.Equal(readerInits[0].GetProperty("params").GetProperty("runId").GetString(), readerInits[1].GetProperty("params").GetProperty("runId").GetString());
        Assert.False(Processes.IsAlive(readerInits[0].GetProperty("pid").GetInt32()));
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Leaked_shared_memory_is_removed_and_reported_as_a_warning()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Leaks
                Given the 'writer' process leaks a shared memory object
            """);
        var run = await harness.RunAsync("csharp_python");

        Assert.Equal(0, run.ExitCode);
        var match = Regex.Match(run.Stdout, @"⚠ leaked resource removed after the scenario: (/dev/shm/h[0-9a-f]{10}-leak-writer)");
        Assert.True(match.Success, run.Stdout);
        Assert.False(File.Exists(match.Groups[1].Value));
    }

    [Fact]
    public async Task Same_process_mode_uses_one_worker_for_every_role_and_skips_separate_process_scenarios()
    {
        using var harness = new HarmonyHarness()
            .Feature("01-fake", TwoScenarios)
            .Feature("02-crash", """
                @separate-process
                Feature: Crash
                  Scenario: Test 2.1 - Needs two pids
                    Given the 'reader' process succeeds
                    When the 'writer' process is killed
                """);
        var run = await harness.RunAsync("csharp_csharp", "--mode", "same-process");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("- skipped Test 2.1 - Needs two pids [csharp_csharp: reader=csharp, writer=csharp] same-process: needs separate processes (@separate-process)", run.Stdout);
        var initializes = run.Requests("initialize").Select(e => e.GetProperty("params")).ToList();
        Assert.Equal(2, initializes.Count);
        Assert.All(initializes, p => Assert.Equal("all", p.GetProperty("role").GetString()));
        Assert.All(initializes, p => Assert.Equal("same-process", p.GetProperty("mode").GetString()));
        Assert.Single(run.InitializedPids);
        var processes = run.Requests("executeStep").Select(e => e.GetProperty("params").GetProperty("process").GetString()).ToList();
        Assert.Contains("reader", processes);
        Assert.Contains("writer", processes);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Both_modes_with_a_mixed_pair_runs_only_separate_process()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var run = await harness.RunAsync("csharp_python", "--mode", "both");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("same-process", run.Stdout.Replace("separate-process", ""));
        Assert.Contains("2 passed, 0 failed, 0 skipped", run.Stdout);
    }

    [Fact]
    public async Task Garbage_on_stdout_fails_the_worker_clearly_and_it_is_killed()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        harness.Env["FAKE_WORKER_MODE"] = "garbage";
        var run = await harness.RunAsync("csharp_python", "1.2", "-v");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"worker '[^']+' \((csharp|python), pid \d+\) broke the protocol during 'health' \(.*BadRpcHeaderException", run.Stdout);
        Assert.Contains("[harmony rpc] connection lost", run.Stderr);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Rule_feature_runs_with_rule_background_and_rule_tags()
    {
        using var harness = new HarmonyHarness().Feature("03-rules", """
            Feature: Rules
              Rule: writers go first
                Background:
                  Given the 'writer' process succeeds
                Example: Test 3.1 - In a rule
                  Then the 'reader' process succeeds
              @skipme
              Rule: tagged
                Scenario: Test 3.2 - Filtered by the rule's tag
                  Given the 'reader' process succeeds
            """);
        var run = await harness.RunAsync("csharp_python", "--tags", "not @skipme");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("✓ Test 3.1 - In a rule [csharp_python: reader=csharp, writer=python] separate-process", run.Stdout);
        Assert.DoesNotContain("Test 3.2", run.Stdout);
        Assert.Equal(["the 'writer' process succeeds", "the 'reader' process succeeds"],
            run.Requests("executeStep").Select(e => e.GetProperty("params").GetProperty("step").GetString()));
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Debug_role_starts_that_worker_waiting_for_a_debugger_without_deadlines()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var run = await harness.RunAsync("csharp_python", "1.2", "--debug", "writer", "-v");

        Assert.Equal(0, run.ExitCode);
        var starts = run.Events.Where(e => e.GetProperty("event").GetString() == "start").ToList();
        var writerPid = run.Requests("initialize").Single(e => e.GetProperty("params").GetProperty("role").GetString() == "writer").GetProperty("pid").GetInt32();
        foreach (var start in starts)
        {
            var argv = start.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(start.GetProperty("pid").GetInt32() == writerPid, argv.Contains("--wait-for-debugger"));
        }
        Assert.Contains($"the python worker (pid {writerPid}) waits for a debugger", run.Stderr);
        var timeouts = run.Requests("executeStep").ToDictionary(
            e => e.GetProperty("params").GetProperty("process").GetString()!,
            e => e.GetProperty("params").GetProperty("timeoutMs").GetInt32());
        Assert.Equal(24 * 60 * 60 * 1000, timeouts["writer"]);
        Assert.Equal(10000, timeouts["reader"]);
        // -v streams worker stderr live, prefixed with role/platform and pid.
        Assert.Matches(@"\[(reader/csharp|writer/python) pid \d+\] ", run.Stderr);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Slow_starting_worker_is_waited_for()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        harness.Env["FAKE_WORKER_START_DELAY_MS"] = "1500";
        var run = await harness.RunAsync("csharp_python", "1.2");
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Worker_that_never_answers_health_fails_the_scenario_clearly()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        harness.Env["FAKE_WORKER_MODE"] = "no-health";
        var run = await harness.RunAsync("csharp_python", "1.2", "--step-timeout", "100");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("could not start the 'reader' worker (csharp)", run.Stdout);
        Assert.Contains("did not answer 'health' within", run.Stdout);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Worker_that_exits_at_start_is_reported_with_its_exit_code()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        harness.Commands["python"] = "/bin/false";
        var run = await harness.RunAsync("csharp_python", "1.2");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"could not start the 'writer' worker \(python\): worker '\(idle\)' \(python, pid \d+\) exited \(exit code 1\) during 'health'", run.Stdout);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Failed_cleanup_replaces_the_worker_with_a_warning()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        harness.Env["FAKE_WORKER_MODE"] = "fail-cleanup";
        var run = await harness.RunAsync("csharp_python");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("cleanup failed", run.Stdout);
        Assert.Equal(4, run.InitializedPids.Count);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Parallel_scenarios_get_their_own_workers_and_run_ids()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var run = await harness.RunAsync("all", "--parallel", "3", "--junit", Path.Combine(harness.Root, "out", "run.junit.xml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("8 passed, 0 failed, 0 skipped", run.Stdout);
        var runIds = run.Requests("initialize").Select(e => e.GetProperty("params").GetProperty("runId").GetString()).Distinct().Count();
        Assert.Equal(8, runIds);
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(harness.Root, "out", "run.junit.xml"));
        Assert.Equal(4, junit.Root!.Elements("testsuite").Count());
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Dry_run_lists_undefined_and_ambiguous_steps_per_platform()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Dry
                Given the 'reader' process succeeds
                And the 'writer' process does twice something
                Then the 'writer' process frobnicates
                When the 'writer' process is killed
            """);
        var run = await harness.RunAsync("csharp_python", "--dry-run");
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("python:\n", run.Stdout);
        Assert.Contains("  undefined: \"the 'writer' process frobnicates\"  (", run.Stdout);
        Assert.Contains("01-fake.feature:5)", run.Stdout);
        Assert.Contains("ambiguous: \"the 'writer' process does twice something\"", run.Stdout);
        // An undefined step: near misses as Gherkin text with the step's role, and a Python definition to paste.
        Assert.Matches("\n      did you mean \"the 'writer' process [^\"]+\" \\(fake_worker.py:\\d+\\)\n", run.Stdout);
        Assert.Equal(3, run.Stdout.Split('\n').Count(l => l.StartsWith("      did you mean ", StringComparison.Ordinal)));
        Assert.DoesNotContain("did you mean \"the '(?P<role>", run.Stdout);
        Assert.Contains(
            "      define it (python):\n" +
            "        @then(r\"the '(?P<process>[^']+)' process frobnicates\")\n" +
            "        def the_process_frobnicates(ctx: ScenarioContext, process: str) -> None:\n" +
            "            raise NotImplementedError(\"pending step\")\n", run.Stdout);
        Assert.DoesNotContain("\ncsharp:\n", run.Stdout);
        Assert.Empty(run.Requests("executeStep"));
        Assert.Equal(2, run.Requests("discover").Count());

        using var clean = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var ok = await clean.RunAsync("--dry-run");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("every step has exactly one definition", ok.Stdout);
    }

    [Fact]
    public async Task Dry_run_reports_a_table_or_doc_string_the_definition_does_not_take_per_platform()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """"
            Feature: Fake
              Scenario: Test 1.1 - Arguments
                Given the 'reader' process succeeds
                  """
                  a doc string
                  """
                And the 'writer' process reads a table
                And the 'writer' process reads a table
                  | a |
                  | 1 |
                And the 'reader' process may take anything
                  | a |
                Then the 'reader' process succeeds
            """");
        var run = await harness.RunAsync("csharp_python", "--dry-run");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("csharp:\n  argument mismatch: \"the 'reader' process succeeds\"  (", run.Stdout);
        Assert.Contains("01-fake.feature:3)\n      got a doc string, but its definition 'the '(?P<role>[^']+)' process succeeds' (fake_worker.py:0) takes no data table or doc string\n", run.Stdout);
        Assert.Contains("python:\n  argument mismatch: \"the 'writer' process reads a table\"  (", run.Stdout);
        Assert.Contains("01-fake.feature:7)\n      got no data table or doc string, but its definition 'the '(?P<role>[^']+)' process reads a table' (fake_worker.py:14) takes a data table\n", run.Stdout);
        // The same texts used correctly (line 8 with a table, line 13 bare) and a definition that does not say are not problems.
        Assert.DoesNotContain("feature:8)", run.Stdout);
        Assert.DoesNotContain("feature:13)", run.Stdout);
        Assert.DoesNotContain("may take anything", run.Stdout);
        Assert.Contains("2 problem(s)", run.Stdout);
        Assert.Empty(run.Requests("executeStep"));
    }

    [Fact]
    public async Task Missing_worker_command_is_a_usage_error_listing_the_platform()
    {
        using var harness = new HarmonyHarness("csharp", "python", "cpp").Feature("01-fake", TwoScenarios);
        harness.Commands["cpp"] = "build/cpp/bin/zerobuffer-serve";
        var run = await harness.RunAsync("all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cpp: '", run.Stderr);
        Assert.Contains("build/cpp/bin/zerobuffer-serve' does not exist", run.Stderr);
        Assert.Empty(run.Events);
        // A selection that does not need cpp still runs.
        Assert.Equal(0, (await harness.RunAsync("csharp_python", "1.1")).ExitCode);
    }

    [Fact]
    public async Task Feature_errors_stop_everything_with_exit_2()
    {
        using var harness = new HarmonyHarness()
            .Feature("01-fake", TwoScenarios)
            .Feature("02-bad", "Feature: Bad\n  Rule: no\n  Scenario: Test 2.1 - x\n    Given the 'reader' process succeeds\n    what is this\n");
        var run = await harness.RunAsync();
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("02-bad.feature:2:", run.Stderr); // Rule: is Gherkin now
        Assert.Contains("02-bad.feature:5:5:", run.Stderr);
        Assert.Empty(run.Events);
    }

    [Theory]
    [InlineData("--mode", "sideways")]
    [InlineData("--shard", "3/2")]
    [InlineData("--tags", "@a and")]
    [InlineData("--parallel", "0")]
    [InlineData("--format", "pdf:out.pdf")]
    [InlineData("--format", "html")]
    [InlineData("--no-such-option")]
    [InlineData("9.9")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var run = await harness.RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("harmony: ", run.Stderr);
    }

    [Fact]
    public async Task List_prints_the_plan_and_shards_split_it()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", TwoScenarios);
        var all = await harness.RunAsync("--list", "--mode", "both");
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("12 test case(s)", all.Stdout);
        var first = await harness.RunAsync("--list", "--mode", "both", "--shard", "1/2");
        var second = await harness.RunAsync("--list", "--mode", "both", "--shard", "2/2");
        Assert.Contains("6 test case(s)", first.Stdout);
        Assert.Contains("6 test case(s)", second.Stdout);
        Assert.Empty(all.Events);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "processes";
}
