using System.Text.Json;
using Harmony.Protocol.Messages;
using Microsoft.Extensions.DependencyInjection;
using ZeroBuffer.Serve.Steps;
using ZeroBuffer.Serve.Tests.Support;
using ZeroBuffer.Serve.Tests.TestSubjects;

namespace ZeroBuffer.Serve.Tests.Steps;

public sealed class StepInvokerTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = TestServices.Create(null, typeof(SampleSteps));

    private IStepInvoker Invoker => _services.GetRequiredService<IStepInvoker>();

    private ScenarioHost Scenarios => _services.GetRequiredService<ScenarioHost>();

    public Task InitializeAsync() => Scenarios.StartAsync(ScenarioInfo.Implicit with { RunId = "r1" });

    public async Task DisposeAsync()
    {
        await Scenarios.CleanupAsync();
        await _services.DisposeAsync();
    }

    private Task<StepOutcome> Run(string text, TimeSpan? timeout = null, StepTable? table = null, StepDocString? doc = null) =>
        Invoker.InvokeAsync(TestServices.Step(text, timeout, table, doc), CancellationToken.None);

    [Fact]
    public async Task Runs_the_method_on_the_scenario_instance_with_converted_arguments()
    {
        StepOutcome first = await Run("the 'reader' process has '3' apples");
        StepOutcome second = await Run("the 'writer' process has '4' apples");

        Assert.True(first.Success, first.Error);
        Assert.True(second.Success, second.Error);
        var steps = Scenarios.Current!.Services.GetRequiredService<SampleSteps>();
        Assert.Equal(["apples reader 3", "apples writer 4"], steps.Calls);
    }

    [Fact]
    public async Task Each_scenario_gets_fresh_step_instances()
    {
        await Run("the 'reader' process has '1' apples");
        SampleSteps before = Scenarios.Current!.Services.GetRequiredService<SampleSteps>();

        await Scenarios.StartAsync(ScenarioInfo.Implicit with { RunId = "r2" });
        SampleSteps after = Scenarios.Current!.Services.GetRequiredService<SampleSteps>();

        Assert.NotSame(before, after);
        Assert.Empty(after.Calls);
    }

    [Fact]
    public async Task Returned_data_sync_async_and_static()
    {
        Assert.Equal(9000000000L, (await Run("a long '9000000000' and a flag 'yes'")).Data!["value"]);
        Assert.Equal("DarkBlue", (await Run("the colour is 'dark-blue'")).Data!["colour"]);
        Assert.Equal(7, (await Run("an async step returns '7'")).Data!["value"]);
        Assert.True((await Run("an async void-like step")).Success);
        Assert.Equal(true, (await Run("a static step")).Data!["static"]);
        Assert.Null((await Run("an optional number ''")).Data!["number"]);
    }

    [Fact]
    public async Task Tables_and_doc_strings_reach_the_method()
    {
        StepOutcome table = await Run("a table", table: new StepTable(["name", "size"], [["a", "1"], ["b", "2"]]));
        Assert.Equal(2, table.Data!["rows"]);
        Assert.Equal("a", table.Data!["first"]);

        StepOutcome doc = await Run("a doc string", doc: new StepDocString("hello", "text/plain"));
        Assert.Equal("hello", doc.Data!["content"]);
        Assert.Equal("text/plain", doc.Data!["mediaType"]);
    }

    [Theory]
    [InlineData("the 'reader' process has '3' pears", ErrorTypes.StepNotFound, "Did you mean: \"the 'reader' process has '<number>' apples\" (")]
    [InlineData("ambiguous 'abc'", ErrorTypes.AmbiguousStep, "2 step definitions match")]
    [InlineData("a step that asserts", ErrorTypes.AssertionFailed, "expected 1, got 2")]
    [InlineData("a step that fails with kind 'WriterDead'", "WriterDead", "failed as WriterDead")]
    [InlineData("a step that throws a library error", "BufferFull", "The buffer 'x' is full.")]
    [InlineData("a step that throws", ErrorTypes.UnhandledException, "InvalidOperationException: boom")]
    [InlineData("the colour is 'green'", ErrorTypes.UnhandledException, "'green' is not one of Red, DarkBlue")]
    public async Task Failures_are_outcomes_with_an_error_type_and_a_message(string text, string errorType, string message)
    {
        StepOutcome outcome = await Run(text);

        Assert.False(outcome.Success);
        Assert.Equal(errorType, outcome.ErrorType);
        Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ArgumentMismatchCases()
    {
        var data = new TheoryData<string, string, string>();
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(TestData.Path("steps", "argument-mismatch.json")));
        foreach (JsonElement c in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("takes").GetString()!, c.GetProperty("got").GetString()!, c.GetProperty("message").GetString()!);
        }

        return data;
    }

    /// <summary>testdata/steps/argument-mismatch.json, shared with the Python and C++ workers.</summary>
    [Theory]
    [MemberData(nameof(ArgumentMismatchCases))]
    public async Task A_multiline_argument_the_definition_does_not_take_is_a_binding_error(string takes, string got, string message)
    {
        string text = takes switch
        {
            StepArgumentKinds.Table => "a table",
            StepArgumentKinds.DocString => "a doc string",
            _ => "the 'reader' process has '3' apples",
        };
        StepOutcome outcome = await Run(
            text,
            table: got == StepArgumentKinds.Table ? new StepTable(["a"], [["1"]]) : null,
            doc: got == StepArgumentKinds.DocString ? new StepDocString("hello", null) : null);

        StepBinding binding = Assert.Single(_services.GetRequiredService<StepRegistry>().Bindings, b => b.IsValid && b.Regex!.IsMatch(text));
        Assert.Equal(takes, binding.Accepts);
        Assert.False(outcome.Success);
        Assert.Equal(ErrorTypes.StepNotFound, outcome.ErrorType);
        Assert.Equal(message.Replace("{text}", text, StringComparison.Ordinal).Replace("{definition}", binding.ToString(), StringComparison.Ordinal), outcome.Error);
        Assert.Empty(Scenarios.Current!.Services.GetRequiredService<SampleSteps>().Calls);
    }

    [Fact]
    public async Task A_step_past_its_timeout_is_reported_cancelled_and_the_worker_keeps_serving()
    {
        StepOutcome timedOut = await Run("a step that sleeps '20000' ms", TimeSpan.FromMilliseconds(200));

        Assert.False(timedOut.Success);
        Assert.Equal(ErrorTypes.StepTimeout, timedOut.ErrorType);
        Assert.Contains("200 ms timeout", timedOut.Error, StringComparison.Ordinal);
        Assert.InRange(timedOut.Duration.TotalMilliseconds, 190, 5000);

        // The sleeping step honours its token, so the next step starts at once.
        StepOutcome next = await Run("the 'reader' process has '1' apples", TimeSpan.FromSeconds(5));
        Assert.True(next.Success, next.Error);
    }

    [Fact]
    public async Task Cleanup_cancels_a_timed_out_step_and_waits_for_it()
    {
        await Run("a step that sleeps '20000' ms", TimeSpan.FromMilliseconds(100));

        CleanupReport report = await Scenarios.CleanupAsync();

        Assert.True(report.Ok, string.Join("; ", report.Problems));
    }

    [Theory]
    [InlineData("a step that sleeps '20000' ms")]
    [InlineData("a step that blocks '1500' ms")]
    public async Task A_cancelled_call_is_answered_step_cancelled_at_once_whether_or_not_the_step_stops(string text)
    {
        using var call = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        StepOutcome cancelled = await Invoker.InvokeAsync(TestServices.Step(text, TimeSpan.FromSeconds(30)), call.Token);

        Assert.False(cancelled.Success);
        Assert.Equal(ErrorTypes.StepCancelled, cancelled.ErrorType);
        Assert.Contains("was cancelled after", cancelled.Error, StringComparison.Ordinal);
        Assert.InRange(cancelled.Duration.TotalMilliseconds, 190, 2500);
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_is_answered_step_cancelled()
    {
        StepOutcome cancelled = await Invoker.InvokeAsync(TestServices.Step("the 'reader' process has '1' apples"), new CancellationToken(canceled: true));

        Assert.Equal(ErrorTypes.StepCancelled, cancelled.ErrorType);
        Assert.Empty(Scenarios.Current!.Services.GetRequiredService<SampleSteps>().Calls);
    }

    [Fact]
    public async Task The_step_after_a_cancelled_one_waits_for_it_to_stop()
    {
        using var call = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Invoker.InvokeAsync(TestServices.Step("a step that blocks '1000' ms", TimeSpan.FromSeconds(30)), call.Token);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        StepOutcome next = await Run("the 'reader' process has '1' apples", TimeSpan.FromSeconds(10));

        Assert.True(next.Success, next.Error);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"the next step started after {clock.Elapsed.TotalMilliseconds} ms, while the blocked one still ran");
    }

    [Fact]
    public async Task Exit_abandons_a_step_that_does_not_stop_within_half_a_second()
    {
        using var call = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Invoker.InvokeAsync(TestServices.Step("a step that blocks '5000' ms", TimeSpan.FromSeconds(30)), call.Token);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Scenarios.DisposeAsync();

        Assert.Null(Scenarios.Current);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 450, 2000);
    }

    [Fact]
    public async Task Disabled_timeouts_let_a_step_run_past_its_timeout()
    {
        await using ServiceProvider services = TestServices.Create(new StepTimeoutPolicy { Disabled = true }, typeof(SampleSteps));
        IStepInvoker invoker = services.GetRequiredService<IStepInvoker>();

        StepOutcome outcome = await invoker.InvokeAsync(TestServices.Step("a step that sleeps '300' ms", TimeSpan.FromMilliseconds(50)), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Error);
        await services.GetRequiredService<ScenarioHost>().CleanupAsync();
    }

    [Fact]
    public void Timeout_policy_defaults_to_thirty_seconds()
    {
        var policy = new StepTimeoutPolicy();
        Assert.Equal(TimeSpan.FromSeconds(30), policy.For(TestServices.Step("x")));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.For(TestServices.Step("x", TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.For(TestServices.Step("x", TimeSpan.FromSeconds(2))));
    }
}
