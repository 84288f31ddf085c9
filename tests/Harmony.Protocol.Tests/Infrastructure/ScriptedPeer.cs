using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Harmony.Protocol.Rpc;
using Harmony.Protocol.Wire;

namespace Harmony.Protocol.Tests.Infrastructure;

/// <summary>The far end of a <see cref="JsonRpcClient"/>: reads its requests, writes what the test scripts.</summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly Pipe _toPeer = new();
    private readonly Pipe _toClient = new();
    private readonly ContentLengthReader _reader;
    private readonly ContentLengthWriter _writer;

    public ScriptedPeer()
    {
        _reader = new ContentLengthReader(_toPeer.Reader);
        _writer = new ContentLengthWriter(_toClient.Writer);
        Client = new JsonRpcClient(_toClient.Reader.AsStream(), _toPeer.Writer.AsStream());
    }

    public JsonRpcClient Client { get; }

    /// <summary>The next request the client sent, parsed.</summary>
    public async Task<JsonRpcRequest> NextRequestAsync() => Assert.IsType<JsonRpcRequest>(await NextMessageAsync());

    /// <summary>The next message the client sent, parsed.</summary>
    public async Task<JsonRpcMessage> NextMessageAsync()
    {
        byte[] body = await _reader.ReadMessageAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))
            ?? throw new InvalidOperationException("the client closed its output");
        JsonRpcPacket packet = JsonRpcMessageParser.Parse(body);
        return Assert.Single(packet.Messages);
    }

    public Task SendAsync(string json) => _writer.WriteMessageAsync(Encoding.UTF8.GetBytes(json)).AsTask();

    public Task ReplyAsync(JsonRpcRequest request, object result) =>
        _writer.WriteMessageAsync(JsonRpcMessageWriter.Response(JsonRpcResponse.Success(request.Id, result))).AsTask();

    /// <summary>The peer's output ends: the client sees end of stream.</summary>
    public Task CloseAsync() => _toClient.Writer.CompleteAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _toClient.Writer.CompleteAsync();
        await _toPeer.Reader.CompleteAsync();
    }

    public static long IdOf(JsonRpcRequest request) => request.Id!.Value.GetInt64();

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
