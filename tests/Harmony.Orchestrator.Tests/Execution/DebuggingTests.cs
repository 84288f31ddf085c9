using System.Diagnostics;
using System.IO.Pipes;
using System.Text.RegularExpressions;
using Harmony.Orchestrator.Cli;
using Harmony.Orchestrator.Reporting;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary><c>--debug</c> hints, <c>--debug-timeout</c>, and pausing with <c>--break-at</c> / <c>--step</c> (issue 14 §4).</summary>
[Collection(ProcessTests.Name)]
public class DebuggingTests
{
    private const string ThreeSteps = """
        Feature: Fake
          Scenario: Test 1.1 - Buffers
            Given the 'reader' process does create buffer 'test-basic'
            And the 'writer' process does connect to buffer 'test-basic'
            And the 'writer' process does write to buffer 'other'
          Scenario: Test 1.2 - Again
            Given the 'reader' process does create buffer 'test-basic'
            And the 'writer' process succeeds
        """;

    [Theory]
    [InlineData("python", "\"Harmony: attach Python worker (debugpy)\"")]
    [InlineData("csharp", "\"Harmony: attach C# worker\"")]
    [InlineData("cpp", "\"Harmony: attach C++ worker (gdb)\"")]
    public async Task Debug_prints_one_hint_naming_the_attach_configuration_of_the_worker_language(string platform, string configuration)
    {
        using var harness = new HarmonyHarness("csharp", "python", "cpp").Feature("01-fake", ThreeSteps);
        var run = await harness.RunAsync($"{platform}_{platform}", "--debug", "writer");

        Assert.Equal(0, run.ExitCode);
        // Two scenarios, two debug workers, one hint.
        Assert.Single(Regex.Matches(run.Stderr, Regex.Escape(configuration)));
        Assert.Equal(2, Regex.Matches(run.Stderr, $@"the {platform} worker \(pid \d+\) waits for a debugger").Count);
        if (platform == "cpp")
        {
            Assert.Matches(@"gdb -p \d+", run.Stderr);
        }
    }

    [Fact]
    public async Task Debug_timeout_ends_the_wait_for_a_debugger()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", ThreeSteps);
        harness.Env["FAKE_WORKER_DEBUGGER_DELAY_MS"] = "120000";
        var clock = Stopwatch.StartNew();
        var run = await harness.RunAsync("csharp_python", "1.1", "--debug", "writer", "--debug-timeout", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"worker '\(idle\)' \(python, pid \d+\): no debugger attached within 1 s \(--debug-timeout\); it was killed", run.Stdout);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 60);
        await Processes.AssertAllGoneAsync(run.WorkerPids);
    }

    [Fact]
    public async Task Break_at_pauses_before_the_step_prints_buffers_and_goes_on_at_continue()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", ThreeSteps);
        harness.WriteConfig();
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var input = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle));
        var text = new StringWriter();
        var stdout = TextWriter.Synchronized(text);
        var app = new HarmonyApp(ConsoleFactory.Create(stdout, redirected: true), stdout, TextWriter.Null, input);
        var running = app.RunAsync(["--config", harness.ConfigPath, "csharp_python", "1.1", "--break-at", "2", "--step-timeout", "1000"], CancellationToken.None);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Shown(stdout, text).Contains("to go on") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var shown = Shown(stdout, text);
        var runId = Regex.Match(shown, @"run id: (h[0-9a-f]{10})").Groups[1].Value;
        Assert.Contains("harmony: paused before step 2 \"And the 'writer' process does connect to buffer 'test-basic'\"", shown);
        Assert.Contains($"  buffer {runId}-test-basic:  zerobuffer inspect {runId}-test-basic", shown);
        Assert.Contains($"  buffer {runId}-other:  zerobuffer inspect {runId}-other", shown);
        // Paused for longer than the step timeout plus slack: nothing is in flight, so nothing times out.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.False(running.IsCompleted);
        Assert.Single(HarmonyHarness.ReadEvents(harness.EventLog), e => e.GetProperty("event").GetString() == "request"
                                                                           && e.GetProperty("method").GetString() == "executeStep");
        using (var writer = new StreamWriter(pipe, leaveOpen: true))
        {
            await writer.WriteLineAsync("what");
            await writer.WriteLineAsync("continue");
        }
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("'what' is not a command", Shown(stdout, text));
        Assert.Single(Regex.Matches(Shown(stdout, text), "paused before"));
    }

    [Fact]
    public async Task Step_pauses_before_every_step_and_Enter_goes_on()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", ThreeSteps);
        harness.WriteConfig();
        var stdout = new StringWriter();
        var app = new HarmonyApp(ConsoleFactory.Create(stdout, redirected: true), stdout, TextWriter.Null, new StringReader("\n\n\n"));
        var exit = await app.RunAsync(["--config", harness.ConfigPath, "csharp_python", "1.1", "--step"], CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(3, Regex.Matches(stdout.ToString(), "paused before step").Count);
    }

    [Fact]
    public async Task Break_at_matches_step_text_too()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", ThreeSteps);
        harness.WriteConfig();
        var stdout = new StringWriter();
        var app = new HarmonyApp(ConsoleFactory.Create(stdout, redirected: true), stdout, TextWriter.Null, new StringReader("continue\n"));
        var exit = await app.RunAsync(["--config", harness.ConfigPath, "csharp_python", "1.1", "--break-at", "WRITE to buffer"], CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Single(Regex.Matches(stdout.ToString(), "paused before step 3 "));
    }

    // TextWriter.Synchronized locks the writer itself (MethodImplOptions.Synchronized).
    private static string Shown(TextWriter synchronized, StringWriter text)
    {
        lock (synchronized)
        {
            return text.ToString();
        }
    }
}
