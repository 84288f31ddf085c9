using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Harmony.Protocol.Messages;
using ZeroBuffer.Serve.Tests.Support;

namespace ZeroBuffer.Serve.Tests.Hosting;

/// <summary>The contract rules StreamJsonRpc alone does not keep, on the real executable over pipes.</summary>
public sealed class WorkerContractTests
{
    private static int Code(JsonElement reply) => reply.GetProperty("error").GetProperty("code").GetInt32();

    [Fact]
    public async Task A_truncated_json_body_is_a_parse_error_and_the_worker_keeps_serving()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        JsonElement parseError = await worker.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":""");
        Assert.Equal(-32700, Code(parseError));
        Assert.Equal(JsonValueKind.Null, parseError.GetProperty("id").ValueKind);

        JsonElement health = await worker.RequestAsync("""{"jsonrpc":"2.0","id":2,"method":"health"}""");
        Assert.Equal("ok", health.GetProperty("result").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Header_names_match_in_any_case_and_lines_may_end_in_lf()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        byte[] body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"lower","method":"health"}""");

        await worker.SendRawAsync([.. Encoding.ASCII.GetBytes($"content-length: {body.Length}\ncontent-type: application/json\n\n"), .. body]);

        Assert.Equal("lower", (await worker.ReadReplyAsync())!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_batch_is_answered_with_one_array_in_its_order()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        JsonElement batch = await worker.RequestAsync("""
            [{"jsonrpc":"2.0","id":1,"method":"health"},
             {"jsonrpc":"2.0","method":"health"},
             5,
             {"id":2,"method":"health"},
             {"jsonrpc":"2.0","id":3,"method":"nope"},
             {"jsonrpc":"2.0","id":"four","method":"discover"}]
            """);

        JsonElement[] replies = batch.EnumerateArray().ToArray();
        Assert.Equal(5, replies.Length);
        Assert.Equal("ok", replies[0].GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(-32600, Code(replies[1]));
        Assert.Equal(JsonValueKind.Null, replies[1].GetProperty("id").ValueKind);
        Assert.Equal(-32600, Code(replies[2]));
        Assert.Equal(2, replies[2].GetProperty("id").GetInt32());
        Assert.Equal(-32601, Code(replies[3]));
        Assert.Equal("four", replies[4].GetProperty("id").GetString());
        Assert.True(replies[4].GetProperty("result").GetProperty("steps").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_batch_of_notifications_gets_no_reply_and_one_of_refusals_gets_their_array()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        await worker.SendFrameAsync("""[{"jsonrpc":"2.0","method":"health"},{"jsonrpc":"2.0","method":"discover"}]""");
        JsonElement refusals = await worker.RequestAsync("""[1,"two",{"jsonrpc":"1.0","id":3,"method":"health"}]""");

        // The first reply after the notifications is the refusals' array: they were not answered.
        Assert.Equal(JsonValueKind.Array, refusals.ValueKind);
        Assert.Equal([-32600, -32600, -32600], refusals.EnumerateArray().Select(Code));
        Assert.Equal(3, refusals[2].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Step_data_is_always_an_object()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        await worker.RequestAsync(Requests.Initialize(1, Some.RunId()));

        JsonElement ready = (await worker.RequestAsync(Requests.Step(2, "the 'reader' process is ready"))).GetProperty("result");
        Assert.True(ready.GetProperty("success").GetBoolean());
        Assert.Equal(worker.Pid, ready.GetProperty("data").GetProperty("pid").GetInt32());
        Assert.Equal(Platforms.CSharp, ready.GetProperty("data").GetProperty("platform").GetString());

        foreach (string failing in new[] { "the 'reader' process juggles", "the 'reader' process should see the writer connected" })
        {
            JsonElement result = (await worker.RequestAsync(Requests.Step(3, failing))).GetProperty("result");
            Assert.False(result.GetProperty("success").GetBoolean());
            Assert.Equal(JsonValueKind.Object, result.GetProperty("data").ValueKind);
        }
    }

    [Fact]
    public async Task Params_that_are_not_an_object_or_array_are_invalid_params()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        JsonElement reply = await worker.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":"reader"}""");

        Assert.Equal(-32602, Code(reply));
        Assert.Equal(1, reply.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Cancel_request_answers_the_running_step_with_step_cancelled()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRaw();
        await worker.RequestAsync(Requests.Initialize(1, runId));
        await worker.RequestAsync(Requests.Step(2, "the 'reader' process creates buffer 'cancel' with metadata size '0' and payload size '4096'"));

        // Reading after a 20 s delay: the delay honours cancellation, so the step really stops.
        await worker.SendFrameAsync(Requests.Step(3, "the 'reader' process should read '1' frames with size '8' in order with '20000' ms delay"));
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":3}}""");
        JsonElement reply = (await worker.ReadReplyAsync())!.Value;

        Assert.Equal(3, reply.GetProperty("id").GetInt32());
        JsonElement result = reply.GetProperty("result");
        Assert.False(result.GetProperty("success").GetBoolean());
        Assert.Equal(ErrorTypes.StepCancelled, result.GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Object, result.GetProperty("data").ValueKind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered {clock.Elapsed.TotalMilliseconds} ms after the cancel");

        JsonElement cleanup = (await worker.RequestAsync("""{"jsonrpc":"2.0","id":4,"method":"cleanup"}""")).GetProperty("result");
        Assert.True(cleanup.GetProperty("ok").GetBoolean());
        Assert.Empty(Some.Leftovers(runId));
    }

    [Fact]
    public async Task Requests_piped_in_ahead_of_the_end_of_stdin_are_all_answered()
    {
        string runId = Some.RunId();
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        await worker.SendFrameAsync(Requests.Initialize(1, runId));
        await worker.SendFrameAsync(Requests.Step(2, "the 'reader' process creates buffer 'piped' with metadata size '0' and payload size '4096'"));
        await worker.SendFrameAsync("""{"jsonrpc":"2.0","id":3,"method":"cleanup"}""");
        worker.CloseInput();

        var ids = new List<int>();
        while (await worker.ReadReplyAsync() is { } reply)
        {
            ids.Add(reply.GetProperty("id").GetInt32());
            Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
        }

        Assert.Equal([1, 2, 3], ids);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Empty(Some.Leftovers(runId));
    }

    [Fact]
    public async Task Cancelling_a_request_that_is_not_running_changes_nothing()
    {
        await using WorkerProcess worker = WorkerProcess.StartRaw();

        await worker.SendFrameAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":99}}""");

        Assert.Equal(7, (await worker.RequestAsync("""{"jsonrpc":"2.0","id":7,"method":"health"}""")).GetProperty("id").GetInt32());
    }
}
