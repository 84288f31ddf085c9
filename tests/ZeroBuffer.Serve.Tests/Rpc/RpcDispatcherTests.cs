using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ZeroBuffer.Serve.Rpc;

namespace ZeroBuffer.Serve.Tests.Rpc;

public sealed class RpcDispatcherTests
{
    private readonly List<string> _calls = [];
    private readonly RpcDispatcher _dispatcher;

    public RpcDispatcherTests()
    {
        var handlers = new Dictionary<string, RpcHandler>(StringComparer.Ordinal)
        {
            ["echo"] = (p, _) =>
            {
                _calls.Add("echo");
                return Task.FromResult<object?>(p);
            },
            ["needsParams"] = (p, _) =>
            {
                JsonElement element = RpcParams.Unwrap(p, "needsParams") ?? throw new RpcParamsException("Invalid params for 'needsParams': params are required.");
                _calls.Add("needsParams");
                return Task.FromResult<object?>(element.GetProperty("value").GetInt32());
            },
            ["fails"] = (_, _) => throw new InvalidOperationException("exploded"),
        };
        _dispatcher = new RpcDispatcher(handlers, NullLogger<RpcDispatcher>.Instance);
    }

    private async Task<JsonElement?> Send(string json)
    {
        byte[]? reply = await _dispatcher.HandleAsync(Encoding.UTF8.GetBytes(json), CancellationToken.None);
        return reply is null ? null : JsonDocument.Parse(reply).RootElement.Clone();
    }

    private static int Code(JsonElement reply) => reply.GetProperty("error").GetProperty("code").GetInt32();

    [Fact]
    public async Task A_request_gets_its_result_with_its_own_id()
    {
        JsonElement reply = (await Send("""{"jsonrpc":"2.0","id":5,"method":"echo","params":{"a":1}}"""))!.Value;

        Assert.Equal("2.0", reply.GetProperty("jsonrpc").GetString());
        Assert.Equal(5, reply.GetProperty("id").GetInt32());
        Assert.Equal(1, reply.GetProperty("result").GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task String_ids_are_echoed_as_strings()
    {
        JsonElement reply = (await Send("""{"jsonrpc":"2.0","id":"abc","method":"echo"}"""))!.Value;
        Assert.Equal("abc", reply.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""", -32700, true)]
    [InlineData("""not json""", -32700, true)]
    [InlineData("""{"id":2,"method":"echo"}""", -32600, false)]
    [InlineData("""{"jsonrpc":"1.0","id":3,"method":"echo"}""", -32600, false)]
    [InlineData("""{"jsonrpc":"2.0","id":4,"method":7}""", -32600, false)]
    [InlineData("""[]""", -32600, true)]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"nope"}""", -32601, false)]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"needsParams"}""", -32602, false)]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"echo","params":"text"}""", -32602, false)]
    [InlineData("""{"jsonrpc":"2.0","id":9,"method":"fails"}""", -32603, false)]
    [InlineData("""{"jsonrpc":"2.0","id":10,"result":1}""", -32600, false)]
    public async Task Every_error_code(string json, int code, bool idNull)
    {
        JsonElement reply = (await Send(json))!.Value;

        Assert.Equal(code, Code(reply));
        Assert.False(string.IsNullOrWhiteSpace(reply.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(idNull, reply.GetProperty("id").ValueKind == JsonValueKind.Null);
        Assert.False(reply.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Unknown_method_names_the_known_ones()
    {
        JsonElement reply = (await Send("""{"jsonrpc":"2.0","id":1,"method":"Echo"}"""))!.Value;
        Assert.Contains("'Echo'", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("echo, fails, needsParams", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internal_error_message_says_what_failed()
    {
        JsonElement reply = (await Send("""{"jsonrpc":"2.0","id":1,"method":"fails"}"""))!.Value;
        Assert.Contains("exploded", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_are_never_answered_even_when_they_fail()
    {
        Assert.Null(await Send("""{"jsonrpc":"2.0","method":"echo","params":{"a":1}}"""));
        Assert.Null(await Send("""{"jsonrpc":"2.0","method":"nope"}"""));
        Assert.Null(await Send("""{"jsonrpc":"2.0","method":"fails"}"""));
        Assert.Equal(["echo"], _calls);
    }

    [Fact]
    public async Task A_batch_is_answered_with_an_array_in_order_without_notifications()
    {
        JsonElement reply = (await Send("""
            [{"jsonrpc":"2.0","id":1,"method":"echo","params":[1]},
             {"jsonrpc":"2.0","method":"echo"},
             {"jsonrpc":"2.0","id":2,"method":"nope"},
             5,
             {"jsonrpc":"2.0","id":3,"method":"needsParams","params":{"value":9}}]
            """))!.Value;

        Assert.Equal(JsonValueKind.Array, reply.ValueKind);
        JsonElement[] items = reply.EnumerateArray().ToArray();
        Assert.Equal(4, items.Length);
        Assert.Equal(1, items[0].GetProperty("result")[0].GetInt32());
        Assert.Equal(-32601, Code(items[1]));
        Assert.Equal(-32600, Code(items[2]));
        Assert.Equal(JsonValueKind.Null, items[2].GetProperty("id").ValueKind);
        Assert.Equal(9, items[3].GetProperty("result").GetInt32());
        Assert.Equal(["echo", "echo", "needsParams"], _calls);
    }

    [Fact]
    public async Task A_batch_of_notifications_gets_no_reply()
    {
        Assert.Null(await Send("""[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"echo"}]"""));
        Assert.Equal(2, _calls.Count);
    }

    [Fact]
    public async Task One_element_array_params_are_unwrapped()
    {
        JsonElement reply = (await Send("""{"jsonrpc":"2.0","id":1,"method":"needsParams","params":[{"value":4}]}"""))!.Value;
        Assert.Equal(4, reply.GetProperty("result").GetInt32());

        JsonElement twoElements = (await Send("""{"jsonrpc":"2.0","id":2,"method":"needsParams","params":[{"value":4},{"value":5}]}"""))!.Value;
        Assert.Equal(-32602, Code(twoElements));
    }

    [Fact]
    public void A_refused_frame_header_is_answered_with_invalid_request_and_id_null()
    {
        JsonElement reply = JsonDocument.Parse(RpcDispatcher.BadFrameReply("bad header")).RootElement;
        Assert.Equal(-32600, Code(reply));
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("id").ValueKind);
    }
}
