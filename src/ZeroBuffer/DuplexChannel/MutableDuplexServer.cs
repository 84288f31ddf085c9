using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>
/// A server whose handler transforms each request in place in the request ring; the transformed bytes
/// are then copied once into the response ring. Nothing is allocated per request.
/// </summary>
public sealed class MutableDuplexServer : DuplexServer, IMutableDuplexServer
{
    internal MutableDuplexServer(string channelName, BufferConfig config, ILoggerFactory? loggerFactory)
        : base(channelName, config, loggerFactory)
    {
    }

    /// <inheritdoc/>
    public void Start(MutableRequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit = null, ProcessingMode mode = ProcessingMode.SingleThread) =>
        Start(onFrame, onInit, new DuplexServerOptions { Mode = mode });

    /// <inheritdoc/>
    public void Start(MutableRequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit, DuplexServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        StartCore(
            (request, response) =>
            {
                onFrame(request);
                response.WriteFrame(request.Span);
            },
            onInit,
            options);
    }
}
