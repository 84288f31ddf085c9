using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Harmony.Orchestrator.Hosting;
using Harmony.Orchestrator.Planning;
using Harmony.Scenarios.Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harmony.Scenarios;

/// <summary>
/// The sample in Fixtures/failing-sample planned as the matrix is (one csharp worker from this output, both modes)
/// and run through xUnit's own test-case machinery, serialized and deserialized first as a test explorer does.
/// </summary>
public sealed class FailingSampleTests(FailingSampleTests.Sample sample) : IClassFixture<FailingSampleTests.Sample>
{
    [Fact]
    public void Rows_are_named_as_the_console_names_them_with_traits_and_the_feature_as_source()
    {
        var testCase = RoundTrip(sample.Case("Test 99.1", "separate-process"));

        Assert.Equal("Test 99.1 - Metadata That Was Written Is Not There [csharp_csharp: reader=csharp, writer=csharp] separate-process", testCase.DisplayName);
        Assert.Equal(["HarmonyScenario"], testCase.Traits["Category"]);
        Assert.Equal(["99-failing-sample"], testCase.Traits["Feature"]);
        Assert.Equal(["99"], testCase.Traits["Section"]);
        Assert.Equal(["99.1"], testCase.Traits["Test"]);
        Assert.Equal(["csharp_csharp"], testCase.Traits["Pair"]);
        Assert.Equal(["separate-process"], testCase.Traits["Mode"]);
        Assert.Null(testCase.SkipReason);
        Assert.Equal(["stress"], RoundTrip(sample.Case("Test 99.2", "separate-process")).Traits["Tag"]);
        // Source information goes to the explorer at discovery (it is not part of the serialized case).
        var discovered = sample.Case("Test 99.1", "separate-process").SourceInformation;
        Assert.EndsWith(Path.Combine("Fixtures", "failing-sample", "99-failing-sample.feature"), discovered.FileName);
        Assert.Equal(6, discovered.LineNumber);
    }

    [Fact]
    public async Task A_failing_row_fails_with_the_console_report_as_its_message()
    {
        var testCase = RoundTrip(sample.Case("Test 99.1", "separate-process"));

        var messages = await sample.RunAsync(testCase);

        var failed = Assert.Single(messages.OfType<ITestFailed>());
        Assert.Equal(testCase.DisplayName, failed.Test.DisplayName);
        Assert.Equal(typeof(XunitException).FullName, failed.ExceptionTypes[0]);
        var report = failed.Messages[0];
        Assert.StartsWith($"✗ {testCase.DisplayName} (", report);
        Assert.Contains("at step 4 \"Then the 'reader' process should have no metadata\" (", report);
        Assert.Contains("99-failing-sample.feature:10)", report);
        Assert.Matches(@"\n    error: worker 'reader' \(csharp, pid \d+\): .+", report);
        Assert.Matches(@"\n    errorType: \S+", report);
        Assert.Contains("\n    recent worker logs:", report);
        Assert.Contains("[reader/csharp] stderr:", report);
        Assert.Empty(messages.OfType<ITestPassed>());
    }

    [Fact]
    public async Task Skipped_rows_show_the_planner_reason_or_the_costly_tag_to_enable()
    {
        var sameProcess = await sample.RunAsync(RoundTrip(sample.Case("Test 99.3", "same-process")));
        var costly = await sample.RunAsync(RoundTrip(sample.Case("Test 99.2", "separate-process")));

        Assert.Contains("@separate-process", Assert.Single(sameProcess.OfType<ITestSkipped>()).Reason);
        Assert.Contains("HARMONY_ENABLE_TAGS=stress", Assert.Single(costly.OfType<ITestSkipped>()).Reason);
    }

    [Fact]
    public async Task A_passing_row_passes_and_its_output_is_the_console_line()
    {
        var output = new RecordingOutput();
        var messages = await sample.RunAsync(RoundTrip(sample.Case("Test 99.3", "separate-process")), output);

        Assert.True(messages.OfType<ITestPassed>().Count() == 1, string.Join("\n", messages.OfType<ITestFailed>().SelectMany(f => f.Messages)));
        Assert.StartsWith("✓ Test 99.3 - Metadata Arrives [csharp_csharp: reader=csharp, writer=csharp] separate-process (", output.ToString());
    }

    [Theory]
    [InlineData(null, "@stress")]
    [InlineData("long", "@stress")]
    [InlineData("stress", null)]
    [InlineData("@long, STRESS", null)]
    [InlineData("all", null)]
    public void Costly_tags_are_skipped_unless_enabled(string? enabled, string? skippedTag)
    {
        var row = (ScenarioRow)sample.Case("Test 99.2", "separate-process").TestMethodArguments[0];

        var reason = row.SkipReason(HarmonySettings.ParseTags(enabled));

        if (skippedTag is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.StartsWith($"{skippedTag} is off by default", reason);
        }
    }

    [Fact]
    public void A_debug_setting_that_names_no_role_is_refused()
    {
        var error = Assert.Throws<UsageException>(() => ScenarioSession.Open(sample.ConfigPath, "debugger"));

        Assert.Contains("HARMONY_DEBUG needs a role", error.Message);
    }

    /// <summary>What a test explorer does between discovery and execution.</summary>
    private static ScenarioTestCase RoundTrip(ScenarioTestCase testCase) =>
        SerializationHelper.Deserialize<ScenarioTestCase>(SerializationHelper.Serialize(testCase));

    /// <summary>The sample's config (the C# worker built into this output), its planned rows and their sessions.</summary>
    public sealed class Sample : IAsyncLifetime
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("harmony-scenarios-");
        private readonly ScenarioSessions _sessions = new();
        private IReadOnlyList<ScenarioRow> _rows = [];

        public string ConfigPath => Path.Combine(_directory.FullName, "harmony.json");

        public Task InitializeAsync()
        {
            File.WriteAllText(ConfigPath, new JsonObject
            {
                ["platforms"] = new JsonObject
                {
                    ["csharp"] = new JsonObject
                    {
                        ["command"] = "dotnet",
                        ["args"] = new JsonArray(Path.Combine(AppContext.BaseDirectory, "zerobuffer-serve.dll")),
                        ["workingDirectory"] = HarmonySettings.RepositoryRoot,
                    },
                },
                ["featuresPath"] = Path.Combine(HarmonySettings.RepositoryRoot, "tests", "Harmony.Scenarios", "Fixtures", "failing-sample"),
                ["stepTimeoutMs"] = 30000,
            }.ToJsonString());
            _rows = ScenarioRows.Plan(ConfigPath);
            return Task.CompletedTask;
        }

        public ScenarioTestCase Case(string test, string mode)
        {
            var row = _rows.Single(r => r.DisplayName.StartsWith(test + " ", StringComparison.Ordinal) && r.DisplayName.EndsWith(" " + mode, StringComparison.Ordinal));
            var testClass = new TestClass(
                new TestCollection(new TestAssembly(Reflector.Wrap(typeof(ScenarioTests).Assembly)), null, "failing sample"),
                Reflector.Wrap(typeof(ScenarioTests)));
            var method = new TestMethod(testClass, Reflector.Wrap(typeof(ScenarioTests).GetMethod(nameof(ScenarioTests.Scenario))!));
            return new ScenarioTestCase(new NullMessageSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, method, row);
        }

        /// <summary>Runs the case as xUnit's runner does (the theory method of <see cref="ScenarioTests"/>); returns every message.</summary>
        public async Task<IReadOnlyList<IMessageSinkMessage>> RunAsync(ScenarioTestCase testCase, ITestOutputHelper? output = null)
        {
            using var bus = new CollectingBus();
            await testCase.RunAsync(new NullMessageSink(), bus, [_sessions, output ?? new RecordingOutput()], new ExceptionAggregator(), new CancellationTokenSource());
            return bus.Messages.ToList();
        }

        public async Task DisposeAsync()
        {
            await _sessions.DisposeAsync();
            _directory.Delete(recursive: true);
        }
    }

    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly System.Text.StringBuilder _text = new();

        public void WriteLine(string message)
        {
            lock (_text)
            {
                _text.AppendLine(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    private sealed class CollectingBus : IMessageBus
    {
        public ConcurrentQueue<IMessageSinkMessage> Messages { get; } = new();

        public bool QueueMessage(IMessageSinkMessage message)
        {
            Messages.Enqueue(message);
            return true;
        }

        public void Dispose()
        {
        }
    }
}
