using System.Text.Json;
using Harmony.Protocol.Messages;

namespace Harmony.Protocol.Tests.Messages;

public sealed class WorkerMessagesTests
{
    private static T RoundTrip<T>(T value) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, ProtocolJson.Options), ProtocolJson.Options)!;

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, ProtocolJson.Options)!;

    [Fact]
    public void Method_names_are_the_protocol_names()
    {
        Assert.Equal(
            ["health", "initialize", "discover", "executeStep", "cleanup", "shutdown"],
            [WorkerMethods.Health, WorkerMethods.Initialize, WorkerMethods.Discover, WorkerMethods.ExecuteStep, WorkerMethods.Cleanup, WorkerMethods.Shutdown]);
    }

    [Fact]
    public void Error_types_are_the_protocol_strings()
    {
        Assert.Equal(
            ["StepNotFound", "AmbiguousStep", "AssertionFailed", "StepTimeout", "StepCancelled", "UnhandledException"],
            [ErrorTypes.StepNotFound, ErrorTypes.AmbiguousStep, ErrorTypes.AssertionFailed, ErrorTypes.StepTimeout, ErrorTypes.StepCancelled, ErrorTypes.UnhandledException]);
    }

    [Fact]
    public void Health_is_written_in_camel_case()
    {
        Assert.Equal("""{"status":"ok","platform":"csharp","pid":12,"protocol":1,"version":"1.0.0"}""",
            JsonSerializer.Serialize(new HealthResult("ok", "csharp", 12, 1, "1.0.0"), ProtocolJson.Options));
    }

    [Fact]
    public void Initialize_round_trips_and_reads_pascal_case()
    {
        var expected = new InitializeParams("reader", ["reader", "writer"], "csharp", "Test 1.1", "Basic", "run-1", RunModes.SeparateProcess);
        InitializeParams back = RoundTrip(expected);
        Assert.Equal(expected.Roles, back.Roles);
        Assert.Equal(expected with { Roles = back.Roles }, back);

        InitializeParams pascal = Read<InitializeParams>("""{"Role":"writer","Roles":["writer"],"Platform":"python","Scenario":"S","Feature":"F","RunId":"r","Mode":"same-process"}""");
        Assert.Equal("writer", pascal.Role);
        Assert.Equal("r", pascal.RunId);
        Assert.Equal(RunModes.SameProcess, pascal.Mode);
    }

    [Theory]
    [InlineData("\"given\"", "given")]
    [InlineData("\"When\"", "when")]
    [InlineData("\"THEN\"", "then")]
    [InlineData("0", "given")]
    [InlineData("1", "when")]
    [InlineData("2", "then")]
    [InlineData("\"2\"", "then")]
    public void Step_type_accepts_names_and_numbers(string stepType, string expected)
    {
        ExecuteStepParams p = Read<ExecuteStepParams>($$"""{"process":"writer","stepType":{{stepType}},"keyword":"And","step":"x","argument":null,"isBroadcast":false,"timeoutMs":100,"stepId":"1"}""");
        Assert.Equal(expected, p.StepType);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("\"sometimes\"")]
    [InlineData("true")]
    public void Unknown_step_type_is_a_json_error(string stepType)
    {
        Assert.Throws<JsonException>(() => Read<ExecuteStepParams>($$"""{"stepType":{{stepType}},"step":"x"}"""));
    }

    [Fact]
    public void Execute_step_round_trips_with_a_table_and_writes_the_string_step_type()
    {
        var table = new DataTableArgument(["name", "size"], [["a", "1"], ["b", "2"]]);
        var p = new ExecuteStepParams("reader", "then", "Then", "the 'reader' process should read", new StepArgument(table, null), true, 5000, "step-3");

        string json = JsonSerializer.Serialize(p, ProtocolJson.Options);
        Assert.Contains("\"stepType\":\"then\"", json, StringComparison.Ordinal);
        Assert.Contains("\"argument\":{\"table\":{\"header\":[\"name\",\"size\"],\"rows\":[[\"a\",\"1\"],[\"b\",\"2\"]]},\"docString\":null}", json, StringComparison.Ordinal);

        ExecuteStepParams back = JsonSerializer.Deserialize<ExecuteStepParams>(json, ProtocolJson.Options)!;
        Assert.Equal("the 'reader' process should read", back.Step);
        Assert.True(back.IsBroadcast);
        Assert.Equal(5000, back.TimeoutMs);
        Assert.Equal(["name", "size"], back.Argument!.Table!.Header);
        Assert.Equal("b", back.Argument.Table.Rows[1][0]);
        Assert.Null(back.Argument.DocString);
    }

    [Fact]
    public void Execute_step_reads_pascal_case_and_a_doc_string()
    {
        ExecuteStepParams p = Read<ExecuteStepParams>("""
            {"Process":"writer","StepType":1,"Keyword":"When","Step":"s","Argument":{"DocString":{"Content":"text","MediaType":null}},"IsBroadcast":false,"TimeoutMs":30000,"StepId":"9"}
            """);
        Assert.Equal("writer", p.Process);
        Assert.Equal("when", p.StepType);
        Assert.Equal("text", p.Argument!.DocString!.Content);
        Assert.Null(p.Argument.Table);
        Assert.Equal(30000, p.TimeoutMs);
    }

    [Fact]
    public void Step_result_round_trips_with_data_and_logs()
    {
        var logs = new[] { new LogEntry(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), LogLevels.Info, "wrote frame 1") };
        var data = new Dictionary<string, JsonElement> { ["sequence"] = JsonSerializer.SerializeToElement(3) };
        var result = new StepResult(false, "expected 1 got 2", ErrorTypes.AssertionFailed, data, logs, 12.5);

        string json = JsonSerializer.Serialize(result, ProtocolJson.Options);
        Assert.Contains("\"timestamp\":\"2026-01-02T03:04:05+00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"errorType\":\"AssertionFailed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"data\":{\"sequence\":3}", json, StringComparison.Ordinal);

        StepResult back = JsonSerializer.Deserialize<StepResult>(json, ProtocolJson.Options)!;
        Assert.False(back.Success);
        Assert.Equal(3, back.Data["sequence"].GetInt32());
        Assert.Equal(logs, back.Logs);
        Assert.Equal(12.5, back.DurationMs);
    }

    [Fact]
    public void Success_result_writes_null_error_fields_and_empty_data()
    {
        string json = JsonSerializer.Serialize(new StepResult(true, null, null, null, [], 1), ProtocolJson.Options);
        Assert.Equal("""{"success":true,"error":null,"errorType":null,"data":{},"logs":[],"durationMs":1}""", json);
    }

    [Fact]
    public void Data_read_as_null_becomes_an_empty_object()
    {
        StepResult read = Read<StepResult>("""{"success":true,"error":null,"errorType":null,"data":null,"logs":[],"durationMs":1}""");
        Assert.Empty(read.Data);
    }

    [Fact]
    public void Discover_and_cleanup_round_trip()
    {
        DiscoverResult discover = RoundTrip(new DiscoverResult([new StepInfo(StepTypes.Given, "^x$", "Steps.cs:10")]));
        Assert.Equal(new StepInfo("given", "^x$", "Steps.cs:10"), Assert.Single(discover.Steps));

        // accepts is optional: left out when unknown, carried when the worker says it.
        Assert.Equal("""{"type":"given","pattern":"x","source":"s:1"}""", JsonSerializer.Serialize(new StepInfo("given", "x", "s:1"), ProtocolJson.Options));
        StepInfo withAccepts = Read<StepInfo>("""{"type":"given","pattern":"x","source":"s:1","accepts":"docString"}""");
        Assert.Equal(StepArgumentKinds.DocString, withAccepts.Accepts);
        Assert.Equal(StepArgumentKinds.Table, StepArgumentKinds.Of(new StepArgument(new DataTableArgument(["a"], []), null)));
        Assert.Equal(StepArgumentKinds.DocString, StepArgumentKinds.Of(Read<StepArgument>("""{"table":null,"docString":{"content":"x","mediaType":null}}""")));
        Assert.Equal(StepArgumentKinds.None, StepArgumentKinds.Of(null));

        CleanupResult cleanup = RoundTrip(new CleanupResult(true, ["reader r-1", "writer r-1"]));
        Assert.Equal(["reader r-1", "writer r-1"], cleanup.Released);
        Assert.Equal("""{"ok":true}""", JsonSerializer.Serialize(new OkResult(true), ProtocolJson.Options));
    }
}
