namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// The client end of a channel: writes requests to <c>_request</c> and reads responses from
/// <c>_response</c>, which it creates. Safe to share between threads: a response goes to the thread
/// that sent its request.
/// </summary>
public interface IDuplexClient : IDisposable
{
    /// <summary>The channel name.</summary>
    string ChannelName { get; }

    /// <summary>True while the server's request reader is alive.</summary>
    bool IsServerConnected { get; }

    /// <summary>Copies <paramref name="data"/> into the request ring; returns the request's sequence.</summary>
    ulong SendRequest(ReadOnlySpan<byte> data);

    /// <summary>
    /// Reserves a request of <paramref name="size"/> bytes in the request ring for filling in place and
    /// returns its sequence; <see cref="CommitRequest"/> sends it. Other threads' sends wait until then.
    /// </summary>
    ulong AcquireRequestBuffer(int size, out Span<byte> buffer);

    /// <summary>Sends the request reserved by <see cref="AcquireRequestBuffer"/> on this thread.</summary>
    void CommitRequest();

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the response to one of this thread's requests. The
    /// frame's <see cref="Frame.Sequence"/> is the request sequence it answers and its bytes are the
    /// handler's. Returns an invalid frame on timeout; dispose a valid one to give its space back.
    /// </summary>
    /// <exception cref="WriterDeadException">The server stopped or died; the pending responses will not come.</exception>
    /// <exception cref="ReaderDeadException">The server is gone before it ever answered.</exception>
    Frame ReceiveResponse(TimeSpan timeout);

    /// <summary>Writes the channel metadata the server's <c>onInit</c> receives (once per channel, before the first request).</summary>
    void SetRequestMetadata(ReadOnlySpan<byte> metadata);
}
