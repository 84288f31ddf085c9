using System.Text;
using System.Text.Json;
using Harmony.Protocol.Rpc;

namespace Harmony.Protocol.Tests.Rpc;

public sealed class JsonRpcMessageParserTests
{
    private static JsonRpcPacket Parse(string json) => JsonRpcMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    private static JsonRpcMessage Single(string json)
    {
        JsonRpcPacket packet = Parse(json);
        Assert.Null(packet.Refusal);
        Assert.False(packet.IsBatch);
        return Assert.Single(packet.Messages);
    }

    [Fact]
    public void Request_with_integer_id_and_object_params()
    {
        var request = Assert.IsType<JsonRpcRequest>(Single("""{"jsonrpc":"2.0","id":7,"method":"health","params":{"a":1}}"""));
        Assert.Equal(7, request.Id!.Value.GetInt32());
        Assert.Equal("health", request.Method);
        Assert.Equal(1, request.Params!.Value.GetProperty("a").GetInt32());
        Assert.False(request.IsNotification);
    }

    [Fact]
    public void String_and_null_ids_are_requests_missing_id_is_a_notification()
    {
        Assert.Equal("abc", Assert.IsType<JsonRpcRequest>(Single("""{"jsonrpc":"2.0","id":"abc","method":"m"}""")).Id!.Value.GetString());
        Assert.Equal(JsonValueKind.Null, Assert.IsType<JsonRpcRequest>(Single("""{"jsonrpc":"2.0","id":null,"method":"m"}""")).Id!.Value.ValueKind);
        Assert.True(Assert.IsType<JsonRpcRequest>(Single("""{"jsonrpc":"2.0","method":"m","params":[1]}""")).IsNotification);
    }

    [Fact]
    public void Unparsable_json_is_refused_with_parse_error()
    {
        JsonRpcPacket packet = Parse("""{"jsonrpc":"2.0","method":""");
        Assert.Equal((int)JsonRpcErrorCode.ParseError, packet.Refusal!.Code);
        Assert.Empty(packet.Messages);
    }

    [Fact]
    public void Empty_batch_is_refused_with_one_invalid_request()
    {
        Assert.Equal((int)JsonRpcErrorCode.InvalidRequest, Parse("[]").Refusal!.Code);
    }

    [Theory]
    [InlineData("""{"id":1,"method":"m"}""", -32600, true)]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"m"}""", -32600, true)]
    [InlineData("""{"jsonrpc":2.0,"id":1,"method":"m"}""", -32600, true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":5}""", -32600, true)]
    [InlineData("""{"jsonrpc":"2.0","id":{"x":1},"method":"m"}""", -32600, false)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", -32600, true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"m","params":3}""", -32602, true)]
    [InlineData("""42""", -32600, false)]
    [InlineData("""{"foo":"boo"}""", -32600, false)]
    public void Invalid_messages_carry_the_error_to_answer_and_the_id_when_readable(string json, int code, bool hasId)
    {
        var invalid = Assert.IsType<JsonRpcInvalidMessage>(Single(json));
        Assert.Equal(code, invalid.Error.Code);
        Assert.Equal(hasId, invalid.Id is not null);
    }

    [Fact]
    public void Batch_keeps_order_and_classifies_each_element()
    {
        JsonRpcPacket packet = Parse("""[{"jsonrpc":"2.0","id":1,"method":"a"}, 1, {"jsonrpc":"2.0","method":"n"}, {"jsonrpc":"2.0","id":2,"result":true}]""");
        Assert.True(packet.IsBatch);
        Assert.Collection(packet.Messages,
            m => Assert.Equal("a", Assert.IsType<JsonRpcRequest>(m).Method),
            m => Assert.IsType<JsonRpcInvalidMessage>(m),
            m => Assert.True(Assert.IsType<JsonRpcRequest>(m).IsNotification),
            m => Assert.True(Assert.IsType<JsonRpcReply>(m).Result!.Value.GetBoolean()));
    }

    [Fact]
    public void Error_reply_is_read_with_code_message_and_data()
    {
        var reply = Assert.IsType<JsonRpcReply>(Single("""{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no","data":[1]}}"""));
        Assert.Equal(3, reply.Id.GetInt32());
        Assert.Equal(new JsonRpcError(-32601, "no", reply.Error!.Data), reply.Error);
        Assert.Equal(1, reply.Error.Data!.Value[0].GetInt32());
    }

    [Fact]
    public void Elements_outlive_the_parsed_buffer()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"m","params":{"k":"v"}}""");
        var request = Assert.IsType<JsonRpcRequest>(Assert.Single(JsonRpcMessageParser.Parse(body).Messages));
        Array.Clear(body);
        Assert.Equal("v", request.Params!.Value.GetProperty("k").GetString());
    }
}
