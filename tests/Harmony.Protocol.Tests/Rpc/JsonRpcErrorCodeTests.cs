using Harmony.Protocol.Rpc;

namespace Harmony.Protocol.Tests.Rpc;

/// <summary>Pins the codes to the JSON-RPC 2.0 specification (some libraries get InternalError wrong).</summary>
public sealed class JsonRpcErrorCodeTests
{
    [Theory]
    [InlineData(JsonRpcErrorCode.ParseError, -32700)]
    [InlineData(JsonRpcErrorCode.InvalidRequest, -32600)]
    [InlineData(JsonRpcErrorCode.MethodNotFound, -32601)]
    [InlineData(JsonRpcErrorCode.InvalidParams, -32602)]
    [InlineData(JsonRpcErrorCode.InternalError, -32603)]
    public void Codes_match_the_specification(JsonRpcErrorCode code, int expected)
    {
        Assert.Equal(expected, (int)code);
    }

    [Fact]
    public void There_are_exactly_the_five_reserved_codes()
    {
        Assert.Equal(5, Enum.GetValues<JsonRpcErrorCode>().Length);
    }
}
