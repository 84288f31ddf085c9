using System.Text;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using ZeroBuffer.Serve.Rpc;

namespace ZeroBuffer.Serve.Tests.Rpc;

public sealed class RequestScreenTests
{
    private static Screened Screen(string json) => RequestScreen.Screen(WorkerRpc.CreateFormatter(), Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"health"}""", "5")]
    [InlineData("""{"jsonrpc":"2.0","id":"abc","method":"health","params":{"a":1}}""", "abc")]
    [InlineData("""{"jsonrpc":"2.0","method":"health","params":[]}""", null)]
    public void A_request_passes_with_its_id(string json, string? id)
    {
        Screened screened = Screen(json);

        Assert.Null(screened.Refusal);
        Assert.Equal("health", screened.Request!.Method);
        Assert.Equal(id, screened.Request.RequestId.IsEmpty ? null : screened.Request.RequestId.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? screened.Request.RequestId.String);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""", JsonRpcErrorCode.ParseError, null)]
    [InlineData("", JsonRpcErrorCode.ParseError, null)]
    [InlineData("""not json""", JsonRpcErrorCode.ParseError, null)]
    [InlineData("""5""", JsonRpcErrorCode.InvalidRequest, null)]
    [InlineData("""{"id":2,"method":"health"}""", JsonRpcErrorCode.InvalidRequest, 2L)]
    [InlineData("""{"jsonrpc":"1.0","id":3,"method":"health"}""", JsonRpcErrorCode.InvalidRequest, 3L)]
    [InlineData("""{"jsonrpc":2,"id":4,"method":"health"}""", JsonRpcErrorCode.InvalidRequest, 4L)]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":7}""", JsonRpcErrorCode.InvalidRequest, 5L)]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":null}""", JsonRpcErrorCode.InvalidRequest, 6L)]
    [InlineData("""{"jsonrpc":"2.0","id":{},"method":"health"}""", JsonRpcErrorCode.InvalidRequest, null)]
    [InlineData("""{"jsonrpc":"2.0","id":7}""", JsonRpcErrorCode.InvalidRequest, 7L)]
    [InlineData("""{"jsonrpc":"2.0","id":8,"result":1}""", JsonRpcErrorCode.InvalidRequest, 8L)]
    [InlineData("""{"jsonrpc":"2.0","id":9,"method":"health","params":"text"}""", JsonRpcErrorCode.InvalidParams, 9L)]
    public void Anything_else_is_refused_with_the_code_and_the_id_when_readable(string json, JsonRpcErrorCode code, long? id)
    {
        Screened screened = Screen(json);

        Assert.Null(screened.Request);
        Assert.Equal(code, screened.Refusal!.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(screened.Refusal.Error.Message));
        Assert.Equal(id is null ? RequestId.Null : new RequestId(id.Value), screened.Refusal.RequestId);
    }
}
