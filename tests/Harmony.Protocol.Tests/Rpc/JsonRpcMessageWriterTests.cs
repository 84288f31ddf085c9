using System.Text;
using System.Text.Json;
using Harmony.Protocol.Messages;
using Harmony.Protocol.Rpc;

namespace Harmony.Protocol.Tests.Rpc;

public sealed class JsonRpcMessageWriterTests
{
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static JsonElement Id(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Request_and_notification_shapes()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":5,"method":"cleanup"}""", Text(JsonRpcMessageWriter.Request(5, "cleanup", null)));
        Assert.Equal("""{"jsonrpc":"2.0","method":"log","params":{"ok":true}}""", Text(JsonRpcMessageWriter.Notification("log", new OkResult(true))));
    }

    [Fact]
    public void Success_reply_echoes_the_id_verbatim()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":"x-1","result":{"ok":true}}""",
            Text(JsonRpcMessageWriter.Response(JsonRpcResponse.Success(Id("\"x-1\""), new OkResult(true)))));
        Assert.Equal("""{"jsonrpc":"2.0","id":12,"result":null}""",
            Text(JsonRpcMessageWriter.Response(JsonRpcResponse.Success(Id("12"), null))));
    }

    [Fact]
    public void Error_reply_without_id_writes_id_null()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""",
            Text(JsonRpcMessageWriter.Response(JsonRpcResponse.Failure(null, JsonRpcErrorCode.ParseError, "Parse error"))));
    }

    [Fact]
    public void Batch_reply_is_an_array_in_order()
    {
        byte[] batch = JsonRpcMessageWriter.Batch([
            JsonRpcResponse.Success(Id("1"), 1),
            JsonRpcResponse.Failure(Id("2"), JsonRpcErrorCode.MethodNotFound, "nope", Id("{\"m\":\"x\"}")),
        ]);
        Assert.Equal("""[{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"nope","data":{"m":"x"}}}]""", Text(batch));
    }

    [Fact]
    public void Written_messages_parse_back()
    {
        var request = Assert.IsType<JsonRpcRequest>(Assert.Single(JsonRpcMessageParser.Parse(JsonRpcMessageWriter.Request(9, "discover", null)).Messages));
        Assert.Equal(9, request.Id!.Value.GetInt64());
        Assert.Equal("discover", request.Method);
        Assert.Null(request.Params);
    }
}
