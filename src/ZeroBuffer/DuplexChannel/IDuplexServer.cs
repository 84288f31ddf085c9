namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// Answers one request: read <paramref name="request"/> and write the response with
/// <paramref name="response"/> (exactly one response per request). The frame is valid only during the call.
/// </summary>
public delegate void RequestHandler(Frame request, DuplexResponseWriter response);

/// <summary>Transforms the request bytes in place (<see cref="Frame.GetMutableSpan"/>); the server sends them back.</summary>
public delegate void MutableRequestHandler(Frame request);

/// <summary>The server end of a channel: owns <c>_request</c> and answers into each client's <c>_response</c>.</summary>
public interface IDuplexServer : IDisposable
{
    /// <summary>The channel name.</summary>
    string ChannelName { get; }

    /// <summary>True between Start and Stop.</summary>
    bool IsRunning { get; }

    /// <summary>
    /// Ends the loop, drops the request frames in hand, and removes <c>_request</c>, so a new server can
    /// take the name. Pending requests get no response: their clients get <see cref="WriterDeadException"/>.
    /// </summary>
    void Stop();
}

/// <summary>A server whose handler writes new response bytes.</summary>
public interface IImmutableDuplexServer : IDuplexServer
{
    /// <summary>
    /// Creates <c>_request</c> and starts answering. <paramref name="onInit"/> gets the request metadata
    /// once per client, before that client's first request is handled.
    /// </summary>
    void Start(RequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit = null, ProcessingMode mode = ProcessingMode.SingleThread);

    /// <summary>Starts with full <paramref name="options"/>.</summary>
    void Start(RequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit, DuplexServerOptions options);
}

/// <summary>A server whose handler transforms each request in place; the transformed bytes are the response.</summary>
public interface IMutableDuplexServer : IDuplexServer
{
    /// <inheritdoc cref="IImmutableDuplexServer.Start(RequestHandler, Action{ReadOnlySpan{byte}}?, ProcessingMode)"/>
    void Start(MutableRequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit = null, ProcessingMode mode = ProcessingMode.SingleThread);

    /// <summary>Starts with full <paramref name="options"/>.</summary>
    void Start(MutableRequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit, DuplexServerOptions options);
}

/// <summary>Creates the two ends of a channel.</summary>
public interface IDuplexChannelFactory
{
    /// <summary>A server whose handler writes new response bytes; <paramref name="config"/> sizes <c>_request</c>.</summary>
    IImmutableDuplexServer CreateImmutableServer(string channelName, BufferConfig config);

    /// <summary>A server whose handler transforms requests in place; <paramref name="config"/> sizes <c>_request</c>.</summary>
    IMutableDuplexServer CreateMutableServer(string channelName, BufferConfig config);

    /// <summary>Connects to the server's <c>_request</c>, then creates <c>_response</c> (default 4 KiB metadata, 256 MiB payload).</summary>
    /// <exception cref="BufferNotFoundException">No server runs on the channel.</exception>
    IDuplexClient CreateClient(string channelName, BufferConfig? responseConfig = null);
}
