using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harmony.Orchestrator.Tests.Support;

namespace Harmony.Orchestrator.Tests.Reporting;

/// <summary>
/// One failing sample run (Fixtures/report-sample, fake workers, csharp_python) that writes the console, JUnit,
/// Cucumber Messages and the Cucumber HTML report at once; the HTML is opened in headless Chromium.
/// </summary>
public sealed class SampleRun : IAsyncLifetime
{
    internal HarmonyHarness Harness { get; } = new();

    internal HarmonyOutcome Outcome { get; private set; } = null!;

    public string Out => Path.Combine(Harness.Root, "out");

    public async Task InitializeAsync()
    {
        foreach (var feature in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "report-sample"), "*.feature"))
        {
            Harness.Feature(Path.GetFileNameWithoutExtension(feature), File.ReadAllText(feature));
        }
        Outcome = await Harness.RunAsync("csharp_python", "--junit", Path.Combine(Out, "run.xml"),
            "--format", $"message:{Path.Combine(Out, "run.ndjson")}", "--format", $"html:{Path.Combine(Out, "run.html")}");
    }

    public Task DisposeAsync()
    {
        Harness.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(Execution.ProcessTests.Name)]
public class CucumberReportTests(SampleRun sample) : IClassFixture<SampleRun>
{
    private const string Failing = "Test 1.2 - Failing frame count [csharp_python: reader=csharp, writer=python] separate-process";
    private const string Passing = "Test 1.1 - Passing write and read [csharp_python: reader=csharp, writer=python] separate-process";

    private IReadOnlyList<JsonElement> Messages() =>
        File.ReadAllLines(Path.Combine(sample.Out, "run.ndjson")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static IEnumerable<JsonElement> Of(IEnumerable<JsonElement> messages, string kind) =>
        messages.Where(m => m.TryGetProperty(kind, out _)).Select(m => m.GetProperty(kind));

    [Fact]
    public void One_run_writes_console_junit_messages_and_html()
    {
        Assert.Equal(1, sample.Outcome.ExitCode);
        Assert.Contains("✗ Test 1.2 - Failing frame count [csharp_python: reader=csharp, writer=python] separate-process", sample.Outcome.Stdout);
        Assert.Contains("3 passed, 1 failed, 0 skipped", sample.Outcome.Stdout);
        Assert.Contains("JUnit XML written to", sample.Outcome.Stdout);
        Assert.Contains("Cucumber Messages written to", sample.Outcome.Stdout);
        Assert.Contains("Cucumber HTML report written to", sample.Outcome.Stdout);
        // data.metrics on the console line and as JUnit properties.
        Assert.Contains("    metrics step 2 [writer/python]: p50_us=12.5 frames_per_s=80000 baseline.p50_us=3.25", sample.Outcome.Stdout);
        var junit = XDocument.Load(Path.Combine(sample.Out, "run.xml"));
        Assert.Equal("4", junit.Root!.Attribute("tests")!.Value);
        var properties = junit.Descendants("property").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.Equal("12.5", properties["step2.writer.p50_us"]);
        Assert.Equal("3.25", properties["step2.writer.baseline.p50_us"]);
        Assert.True(new FileInfo(Path.Combine(sample.Out, "run.html")).Length > 10_000);
    }

    [Fact]
    public void Messages_follow_cucumbers_order_and_carry_status_error_logs_and_metrics()
    {
        var messages = Messages();
        var kinds = messages.Select(m => m.EnumerateObject().Single().Name).ToList();
        Assert.Equal("meta", kinds[0]);
        Assert.Equal("testRunFinished", kinds[^1]);
        foreach (var kind in new[] { "source", "gherkinDocument", "pickle", "testRunStarted", "testCase", "testCaseStarted",
                     "testStepStarted", "testStepFinished", "testCaseFinished", "attachment" })
        {
            Assert.Contains(kind, kinds);
        }
        Assert.True(kinds.IndexOf("gherkinDocument") < kinds.IndexOf("pickle"));
        Assert.True(kinds.LastIndexOf("pickle") < kinds.IndexOf("testRunStarted"));
        Assert.True(kinds.LastIndexOf("testCase") < kinds.IndexOf("testCaseStarted"));

        var pickles = Of(messages, "pickle").ToList();
        // Grouped per feature copy (combination and mode): the one-kind outline runs as 'csharp'.
        Assert.Equal([Passing, Failing, "Test 1.3 - Outline says hello (word=hello) [csharp: writer=csharp] separate-process",
            "Test 1.3 - Outline says bye (word=bye) [csharp: writer=csharp] separate-process"], pickles.Select(p => p.GetProperty("name").GetString()));
        // The scenario in the copied document carries the test case's name too (the HTML report shows that one).
        var document = Of(messages, "gherkinDocument").First();
        Assert.EndsWith("01-report.feature [csharp_python, separate-process]", document.GetProperty("uri").GetString());
        Assert.Contains(Passing, document.GetRawText());

        var failed = Of(messages, "testStepFinished").Select(f => f.GetProperty("testStepResult"))
            .Single(r => r.GetProperty("status").GetString() == "FAILED");
        Assert.Matches(@"^worker 'writer' \(python, pid \d+\): expected 3 frames but got 2\nerrorType: AssertionFailed$", failed.GetProperty("message").GetString());
        Assert.Equal("AssertionFailed", failed.GetProperty("exception").GetProperty("type").GetString());
        // 1.1: three steps, 1.2: the Given before the failure, 1.3: one step per row.
        Assert.Equal(3 + 1 + 2, Of(messages, "testStepFinished").Count(f => f.GetProperty("testStepResult").GetProperty("status").GetString() == "PASSED"));
        Assert.Single(Of(messages, "testStepFinished"), f => f.GetProperty("testStepResult").GetProperty("status").GetString() == "SKIPPED");
        Assert.False(Of(messages, "testRunFinished").Single().GetProperty("success").GetBoolean());

        var attachments = Of(messages, "attachment").ToList();
        var metrics = attachments.Single(a => a.GetProperty("mediaType").GetString() == "application/json");
        using var body = JsonDocument.Parse(metrics.GetProperty("body").GetString()!);
        Assert.Equal("writer", body.RootElement.GetProperty("role").GetString());
        Assert.Equal(12.5, body.RootElement.GetProperty("metrics").GetProperty("p50_us").GetDouble());
        Assert.Equal(3.25, body.RootElement.GetProperty("baseline").GetProperty("p50_us").GetDouble());
        Assert.Contains(attachments, a => a.GetProperty("fileName").GetString() == "worker-logs.txt"
                                          && a.GetProperty("body").GetString()!.Contains("about to fail: 3 frames but got 2"));
    }

    [Fact]
    public async Task Html_report_in_a_real_browser_shows_the_test_cases_their_steps_and_the_failure()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(chromium is not null, "chromium is not installed (scripts/setup.sh installs it)");
        var info = new ProcessStartInfo(chromium!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom",
                     new Uri(Path.Combine(sample.Out, "run.html")).AbsoluteUri })
        {
            info.ArgumentList.Add(arg);
        }
        using var browser = Process.Start(info)!;
        var dom = browser.StandardOutput.ReadToEndAsync();
        _ = browser.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await browser.WaitForExitAsync(timeout.Token);

        // What the page rendered, without the messages embedded in its script.
        var rendered = Regex.Replace(await dom, "<script[^>]*>.*?</script>", "", RegexOptions.Singleline);
        Assert.Contains(Passing, rendered);
        Assert.Contains(Failing, rendered);
        Assert.Contains("the 'writer' process fails with '3 frames but got 2'", rendered);
        Assert.Contains("the 'writer' process measures", rendered);
        Assert.Matches(@"worker 'writer' \(python, pid \d+\): expected 3 frames but got 2", rendered);
        Assert.Contains("01-report.feature [csharp_python, separate-process]", rendered);
        Assert.Contains("01-report.feature [csharp, separate-process]", rendered);
    }
}
