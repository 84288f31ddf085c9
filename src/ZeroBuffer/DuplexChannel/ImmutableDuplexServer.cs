using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>A server whose handler writes new response bytes through a <see cref="DuplexResponseWriter"/>.</summary>
public sealed class ImmutableDuplexServer : DuplexServer, IImmutableDuplexServer
{
    internal ImmutableDuplexServer(string channelName, BufferConfig config, ILoggerFactory? loggerFactory)
        : base(channelName, config, loggerFactory)
    {
    }

    /// <inheritdoc/>
    public void Start(RequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit = null, ProcessingMode mode = ProcessingMode.SingleThread) =>
        StartCore(onFrame, onInit, new DuplexServerOptions { Mode = mode });

    /// <inheritdoc/>
    public void Start(RequestHandler onFrame, Action<ReadOnlySpan<byte>>? onInit, DuplexServerOptions options) =>
        StartCore(onFrame, onInit, options);
}
