using System.Diagnostics;
using System.Xml.Linq;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Cli;

/// <summary>The command-line defects of issue 14 §1 (1–6), each as a new user met it.</summary>
[Collection(Execution.ProcessTests.Name)]
public class CommandLineDefectTests
{
    private const string Tagged = """
        Feature: Fake
          @separate-process
          Scenario: Test 1.1 - Tagged
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
          Scenario: Test 1.2 - Untagged
            Given the 'reader' process succeeds
            And the 'writer' process succeeds
        """;

    [Fact]
    public async Task A_tag_with_a_leading_at_sign_is_a_tag_not_a_response_file()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var run = await harness.RunAsync("csharp_python", "--tags", "@separate-process", "--list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Test 1.1 - Tagged", run.Stdout);
        Assert.DoesNotContain("Test 1.2", run.Stdout);
        Assert.Contains("1 test case(s)", run.Stdout);
    }

    [Fact]
    public async Task Version_prints_the_version_and_runs_nothing()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        harness.WriteConfig();
        var stdout = new StringWriter();
        var app = new Orchestrator.Cli.HarmonyApp(Orchestrator.Reporting.ConsoleFactory.Create(stdout, redirected: true), stdout, new StringWriter());
        var exit = await app.RunAsync(["--version"], CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.ToString());
        Assert.Empty(HarmonyHarness.ReadEvents(harness.EventLog));
    }

    [Theory]
    [InlineData("--junit", "/proc/harmony-cannot-write.xml")]
    [InlineData("--format", "html:/proc/harmony-cannot-write.html")]
    public async Task An_unwritable_report_path_is_refused_before_anything_runs(string option, string value)
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var run = await harness.RunAsync("csharp_python", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("harmony: cannot write the ", run.Stderr);
        Assert.Contains("/proc/harmony-cannot-write", run.Stderr);
        Assert.Empty(run.Requests("initialize"));
    }

    [Fact]
    public async Task A_report_path_that_is_a_directory_is_refused()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var run = await harness.RunAsync("csharp_python", "--junit", harness.FeaturesDirectory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("it is a directory", run.Stderr);
    }

    [Fact]
    public async Task An_empty_shard_says_why_writes_an_empty_report_and_fails()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var junit = Path.Combine(harness.Root, "reports", "empty.xml");
        var run = await harness.RunAsync("csharp_python", "1.1", "--shard", "2/2", "--junit", junit);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("harmony: nothing ran: shard 2/2 of 1 planned test case(s) is empty (--allow-empty accepts this)", run.Stderr);
        Assert.Equal("0", XDocument.Load(junit).Root!.Attribute("tests")!.Value);
    }

    [Fact]
    public async Task An_empty_selection_passes_with_allow_empty()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var run = await harness.RunAsync("csharp_python", "1.1", "--mode", "same-process", "--allow-empty");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("nothing ran: no test case matches the selection", run.Stderr);
        Assert.Contains("same-process mode runs only combinations of one platform", run.Stderr);
    }

    [Fact]
    public async Task A_selection_whose_cases_are_all_skipped_fails_and_names_the_skip_reason()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        var run = await harness.RunAsync("csharp_csharp", "1.1", "--mode", "same-process");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing ran: every selected test case is skipped (needs separate processes", run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "python_csharp_cpp" }, "'python_csharp_cpp' names 3 platforms but no scenario has more than 2 kinds of role")]
    [InlineData(new[] { "csharp_python", "--debug", "client" }, "--debug client: no selected scenario has a 'client' role (they have: reader, writer)")]
    [InlineData(new[] { "csharp_python", "--no-such-option" }, "unknown option '--no-such-option'")]
    [InlineData(new[] { "-x", "csharp_python" }, "unknown option '-x'")]
    public async Task Mistakes_are_refused_with_a_clear_message(string[] args, string message)
    {
        using var harness = new HarmonyHarness("csharp", "python", "cpp").Feature("01-fake", Tagged);
        var run = await harness.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain("nothing matches", run.Stderr);
        Assert.Empty(run.Requests("initialize"));
    }

    [Theory]
    [InlineData(new[] { "--version" }, "args: --version|config: ROOT/harmony.json")]
    [InlineData(new[] { "csharp_python", "--config", "/elsewhere/h.json", "--list" }, "args: csharp_python --config /elsewhere/h.json --list|config: ROOT/harmony.json")]
    [InlineData(new string[0], "args: all --mode both|config: ROOT/harmony.json")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Test_sh_passes_the_arguments_through_and_names_its_config_only_as_the_default(string[] args, string expected)
    {
        // test.sh in a copy of the repository whose setup, build and harmony are stand-ins that print what they got.
        var root = Directory.CreateTempSubdirectory("harmony-testsh-").FullName;
        try
        {
            File.Copy(Path.Combine(Repo.Root, "test.sh"), Path.Combine(root, "test.sh"));
            var bin = Path.Combine(root, "src", "Harmony.Orchestrator", "bin", "Release", "net10.0");
            Directory.CreateDirectory(bin);
            Directory.CreateDirectory(Path.Combine(root, "scripts"));
            WriteScript(Path.Combine(root, "scripts", "setup.sh"), "exit 0");
            WriteScript(Path.Combine(root, "scripts", "build.sh"), "exit 0");
            WriteScript(Path.Combine(bin, "harmony"), "echo \"args: $*|config: $HARMONY_CONFIG\"");
            var start = new ProcessStartInfo("bash", [Path.Combine(root, "test.sh"), .. args]) { RedirectStandardOutput = true };
            start.Environment.Remove("HARMONY_CONFIG");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();

            Assert.Equal(0, process.ExitCode);
            Assert.Equal(expected.Replace("ROOT", root, StringComparison.Ordinal), output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task HARMONY_CONFIG_is_the_default_config_and_an_explicit_config_wins()
    {
        using var harness = new HarmonyHarness().Feature("01-fake", Tagged);
        harness.WriteConfig();
        Environment.SetEnvironmentVariable("HARMONY_CONFIG", harness.ConfigPath);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var app = new Orchestrator.Cli.HarmonyApp(Orchestrator.Reporting.ConsoleFactory.Create(stdout, redirected: true), stdout, stderr);
            Assert.Equal(0, await app.RunAsync(["--list"], CancellationToken.None));
            Assert.Contains("Test 1.2 - Untagged", stdout.ToString());
            // HarmonyHarness passes its own --config too: no "expects a single argument" error.
            var run = await harness.RunAsync("--list");
            Assert.Equal(0, run.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARMONY_CONFIG", null);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
