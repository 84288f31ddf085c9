using System.Text.Json;
using Harmony.Protocol.Exceptions;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Rpc;
using Harmony.Protocol.Tests.Infrastructure;

namespace Harmony.Protocol.Tests.Rpc;

public sealed class JsonRpcClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sends_a_jsonrpc_2_request_with_integer_id_and_camel_case_params()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> call = peer.Client.InvokeAsync("executeStep",
            new ExecuteStepParams("writer", "when", "When", "the 'writer' process writes", null, false, 30000, "s1"));
        JsonRpcRequest request = await peer.NextRequestAsync();

        Assert.Equal("executeStep", request.Method);
        Assert.Equal(JsonValueKind.Number, request.Id!.Value.ValueKind);
        Assert.Equal("writer", request.Params!.Value.GetProperty("process").GetString());
        Assert.Equal("when", request.Params!.Value.GetProperty("stepType").GetString());
        Assert.Equal(30000, request.Params!.Value.GetProperty("timeoutMs").GetInt32());

        await peer.ReplyAsync(request, new OkResult(true));
        JsonElement result = await call.WaitAsync(Timeout);
        Assert.True(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Request_without_params_omits_the_member()
    {
        await using var peer = new ScriptedPeer();

        Task<HealthResult> call = peer.Client.InvokeAsync<HealthResult>(WorkerMethods.Health, null);
        JsonRpcRequest request = await peer.NextRequestAsync();
        Assert.Null(request.Params);

        await peer.ReplyAsync(request, new HealthResult("ok", "csharp", 42, 1, "1.0.0"));
        Assert.Equal(new HealthResult("ok", "csharp", 42, 1, "1.0.0"), await call.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Out_of_order_replies_reach_their_own_callers()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> first = peer.Client.InvokeAsync("a", new { n = 1 });
        JsonRpcRequest r1 = await peer.NextRequestAsync();
        Task<JsonElement> second = peer.Client.InvokeAsync("b", new { n = 2 });
        JsonRpcRequest r2 = await peer.NextRequestAsync();
        Assert.NotEqual(ScriptedPeer.IdOf(r1), ScriptedPeer.IdOf(r2));

        await peer.ReplyAsync(r2, "second");
        Assert.Equal("second", (await second.WaitAsync(Timeout)).GetString());
        Assert.False(first.IsCompleted);

        await peer.ReplyAsync(r1, "first");
        Assert.Equal("first", (await first.WaitAsync(Timeout)).GetString());
    }

    [Fact]
    public async Task A_batch_of_replies_completes_each_call()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> a = peer.Client.InvokeAsync("a", null);
        long idA = ScriptedPeer.IdOf(await peer.NextRequestAsync());
        Task<JsonElement> b = peer.Client.InvokeAsync("b", null);
        long idB = ScriptedPeer.IdOf(await peer.NextRequestAsync());

        await peer.SendAsync($$"""[{"jsonrpc":"2.0","id":{{idB}},"result":2},{"jsonrpc":"2.0","id":"{{idA}}","result":1}]""");

        Assert.Equal(1, (await a.WaitAsync(Timeout)).GetInt32());
        Assert.Equal(2, (await b.WaitAsync(Timeout)).GetInt32());
    }

    [Fact]
    public async Task Error_reply_throws_remote_exception_with_code_message_and_data()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> call = peer.Client.InvokeAsync("nope", null);
        long id = ScriptedPeer.IdOf(await peer.NextRequestAsync());
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ""","error":{"code":-32601,"message":"Method not found: 'nope'","data":{"known":["health"]}}}""");

        JsonRpcRemoteException ex = await Assert.ThrowsAsync<JsonRpcRemoteException>(() => call.WaitAsync(Timeout));
        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, ex.Code);
        Assert.Equal("Method not found: 'nope'", ex.Message);
        Assert.Equal("health", ex.Data!.Value.GetProperty("known")[0].GetString());
    }

    [Fact]
    public async Task Notifications_garbage_and_unknown_ids_from_the_peer_are_ignored()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> call = peer.Client.InvokeAsync("x", null);
        long id = ScriptedPeer.IdOf(await peer.NextRequestAsync());
        await peer.SendAsync("""{"jsonrpc":"2.0","method":"log","params":{"m":"hi"}}""");
        await peer.SendAsync("not json at all");
        await peer.SendAsync("""{"jsonrpc":"2.0","id":9999,"result":0}""");
        await peer.SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"result":"done"}""");

        Assert.Equal("done", (await call.WaitAsync(Timeout)).GetString());
        Assert.False(peer.Client.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_request_from_the_peer_is_answered_with_method_not_found()
    {
        await using var peer = new ScriptedPeer();

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"p1","method":"ping"}""");

        JsonRpcReply answer = Assert.IsType<JsonRpcReply>(await peer.NextMessageAsync());
        Assert.Equal("p1", answer.Id.GetString());
        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, answer.Error!.Code);
    }

    [Fact]
    public async Task End_of_stream_fails_every_pending_call_with_connection_lost()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> a = peer.Client.InvokeAsync("a", null);
        Task<JsonElement> b = peer.Client.InvokeAsync("b", null);
        await peer.NextRequestAsync();
        await peer.NextRequestAsync();
        await peer.CloseAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => a.WaitAsync(Timeout));
        await Assert.ThrowsAsync<ConnectionLostException>(() => b.WaitAsync(Timeout));
        await peer.Client.Completion.WaitAsync(Timeout);
        await Assert.ThrowsAsync<ConnectionLostException>(() => peer.Client.InvokeAsync("late", null));
    }

    [Fact]
    public async Task Broken_stream_fails_pending_calls_and_faults_completion()
    {
        var broken = new ThrowingStream();
        var sink = new MemoryStream();
        await using var client = new JsonRpcClient(broken, sink);

        Task<JsonElement> call = client.InvokeAsync("a", null);
        broken.Break();

        ConnectionLostException ex = await Assert.ThrowsAsync<ConnectionLostException>(() => call.WaitAsync(Timeout));
        Assert.Contains("simulated broken pipe", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConnectionLostException>(() => client.Completion.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Mid_frame_end_of_stream_counts_as_connection_lost()
    {
        await using var peer = new ScriptedPeer();

        Task<JsonElement> call = peer.Client.InvokeAsync("a", null);
        await peer.NextRequestAsync();
        await peer.SendAsync("{}"); // a complete frame the client ignores
        await peer.CloseAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => call.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Cancelling_a_call_removes_it_without_breaking_the_connection()
    {
        await using var peer = new ScriptedPeer();
        using var cts = new CancellationTokenSource();

        Task<JsonElement> cancelled = peer.Client.InvokeAsync("slow", null, cts.Token);
        JsonRpcRequest slow = await peer.NextRequestAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));

        await peer.ReplyAsync(slow, "too late");
        Task<JsonElement> next = peer.Client.InvokeAsync("next", null);
        await peer.ReplyAsync(await peer.NextRequestAsync(), "fine");
        Assert.Equal("fine", (await next.WaitAsync(Timeout)).GetString());
    }

    [Fact]
    public async Task Dispose_fails_pending_calls()
    {
        var peer = new ScriptedPeer();
        Task<JsonElement> call = peer.Client.InvokeAsync("a", null);
        await peer.NextRequestAsync();

        await peer.DisposeAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => call.WaitAsync(Timeout));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => peer.Client.InvokeAsync("b", null));
    }
}
