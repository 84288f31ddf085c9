using System.Diagnostics;
using System.Runtime.InteropServices;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Execution;

/// <summary>The real <c>harmony</c> executable, interrupted mid-step, leaves no worker behind.</summary>
[Collection(ProcessTests.Name)]
public partial class SignalTests
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [Theory]
    [InlineData(15)] // SIGTERM
    [InlineData(2)]  // SIGINT (Ctrl+C)
    [InlineData(1)]  // SIGHUP (terminal closed)
    public async Task Signal_mid_step_shuts_every_worker_down_and_exits_130(int signal)
    {
        using var harness = new HarmonyHarness().Feature("01-fake", """
            Feature: Fake
              Scenario: Test 1.1 - Hangs
                Given the 'reader' process succeeds
                When the 'writer' process hangs
            """);
        harness.WriteConfig();
        // Through env(1), which resets the three signals to their default: a test run started as a
        // background job inherits SIGINT ignored, and the runtime keeps an ignored SIGINT ignored.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--default-signal=INT,TERM,HUP", "dotnet", Path.Combine(AppContext.BaseDirectory, "harmony.dll"), "--config", harness.ConfigPath, "csharp_python", "--step-timeout", "60000" })
        {
            info.ArgumentList.Add(arg);
        }
        using var harmony = Process.Start(info)!;
        var stdout = harmony.StandardOutput.ReadToEndAsync();
        var stderr = harmony.StandardError.ReadToEndAsync();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!HarmonyHarness.ReadEvents(harness.EventLog).Any(e =>
                       e.GetProperty("event").GetString() == "request" && e.GetProperty("method").GetString() == "executeStep"
                       && e.GetProperty("params").GetProperty("step").GetString() == "the 'writer' process hangs"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the hanging step never started");
                await Task.Delay(50);
            }
            await Task.Delay(200);
            Assert.Equal(0, Kill(harmony.Id, signal));
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await harmony.WaitForExitAsync(exit.Token);
            Assert.True(harmony.ExitCode == 130, $"exit {harmony.ExitCode}\n{await stdout}\n{await stderr}");
            var pids = HarmonyHarness.ReadEvents(harness.EventLog).Where(e => e.GetProperty("event").GetString() == "start")
                .Select(e => e.GetProperty("pid").GetInt32()).ToList();
            Assert.True(pids.Count >= 2, $"expected the reader and writer workers (and maybe spares), got {pids.Count}");
            await Processes.AssertAllGoneAsync(pids);
            Assert.Contains("interrupted", await stdout + await stderr);
        }
        finally
        {
            if (!harmony.HasExited)
            {
                harmony.Kill(entireProcessTree: true);
            }
        }
    }
}
