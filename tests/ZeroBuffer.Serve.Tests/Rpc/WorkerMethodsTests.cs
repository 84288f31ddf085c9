using System.Text.Json;
using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Rpc;
using WorkerMethods = ZeroBuffer.Serve.Rpc.WorkerMethods;
using ZeroBuffer.Serve.Steps;

namespace ZeroBuffer.Serve.Tests.Rpc;

/// <summary>Params parsing of the worker methods, including the public Harmony's compatibility forms.</summary>
public sealed class WorkerMethodsTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Health_reports_csharp_protocol_1_and_this_pid()
    {
        HealthResult health = WorkerMethods.Identity();
        Assert.Equal(new HealthResult("ok", "csharp", Environment.ProcessId, 1, WorkerMethods.Version), health);
        Assert.Matches(@"^\d+\.\d+\.\d+", health.Version);
    }

    [Theory]
    [InlineData("""{"process":"writer","stepType":"when","keyword":"And","step":"s","argument":null,"isBroadcast":false,"timeoutMs":1500,"stepId":"7"}""")]
    [InlineData("""[{"process":"writer","stepType":"when","keyword":"And","step":"s","timeoutMs":1500,"stepId":"7"}]""")]
    [InlineData("""{"Process":"writer","StepType":1,"Keyword":"And","Step":"s","Argument":null,"IsBroadcast":false,"TimeoutMs":1500,"StepId":"7"}""")]
    [InlineData("""[{"Process":"writer","StepType":1,"Keyword":"And","Step":"s","TimeoutMs":1500,"StepId":"7"}]""")]
    public void Execute_step_accepts_camel_pascal_array_and_numeric_forms(string json)
    {
        StepRequest request = WorkerMethods.ReadExecuteStep(Json(json));

        Assert.Equal("s", request.Text);
        Assert.Equal("when", request.StepType);
        Assert.Equal("And", request.Keyword);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), request.Timeout);
        Assert.Equal("7", request.StepId);
    }

    [Fact]
    public void Execute_step_maps_tables_and_doc_strings_and_defaults_the_timeout()
    {
        StepRequest table = WorkerMethods.ReadExecuteStep(Json("""{"step":"s","stepType":0,"argument":{"table":{"header":["a"],"rows":[["1"],["2"]]}}}"""));
        Assert.Equal(["a"], table.Table!.Header);
        Assert.Equal("2", table.Table.Rows[1][0]);
        Assert.Null(table.Timeout);
        Assert.Equal("given", table.StepType);

        StepRequest doc = WorkerMethods.ReadExecuteStep(Json("""{"step":"s","stepType":"then","argument":{"docString":{"content":"c","mediaType":"json"}}}"""));
        Assert.Equal(new StepDocString("c", "json"), doc.DocString);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"stepType":"given"}""")]
    [InlineData("""{"step":"   "}""")]
    [InlineData("""{"step":"s","stepType":9}""")]
    [InlineData("""{"step":"s","timeoutMs":-1}""")]
    [InlineData("""{"step":"s","timeoutMs":"soon"}""")]
    [InlineData("""{"step":"s","argument":{"table":{"header":[],"rows":[]},"docString":{"content":""}}}""")]
    [InlineData("""[1,2]""")]
    public void Execute_step_refuses_bad_params(string? json)
    {
        Assert.Throws<RpcParamsException>(() => WorkerMethods.ReadExecuteStep(json is null ? null : Json(json)));
    }

    [Fact]
    public void Initialize_reads_pascal_case_and_defaults_the_mode()
    {
        ScenarioInfo info = WorkerMethods.ReadInitialize(Json("""[{"Role":"reader","Roles":["reader","writer"],"Platform":"csharp","Scenario":"S","Feature":"F","RunId":"run-1"}]"""));

        Assert.Equal("reader", info.Role);
        Assert.Equal(["reader", "writer"], info.Roles);
        Assert.Equal("run-1", info.RunId);
        Assert.Equal(RunModes.SeparateProcess, info.Mode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"role":"reader","runId":"bad/run"}""")]
    [InlineData("""{"role":"reader","runId":".hidden"}""")]
    [InlineData("""{"role":"reader","runId":"r","mode":"threads"}""")]
    [InlineData("""{"role":5}""")]
    public void Initialize_refuses_bad_params(string? json)
    {
        Assert.Throws<RpcParamsException>(() => WorkerMethods.ReadInitialize(json is null ? null : Json(json)));
    }
}
