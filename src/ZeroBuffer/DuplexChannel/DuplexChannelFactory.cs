using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>Creates servers and clients of duplex channels (PROTOCOL.md §8).</summary>
public sealed class DuplexChannelFactory : IDuplexChannelFactory
{
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>A factory whose servers and clients log through <paramref name="loggerFactory"/> (none by default).</summary>
    public DuplexChannelFactory(ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
    }

    /// <summary>The factory without logging.</summary>
    public static DuplexChannelFactory Instance { get; } = new();

    /// <inheritdoc/>
    public IImmutableDuplexServer CreateImmutableServer(string channelName, BufferConfig config) =>
        new ImmutableDuplexServer(channelName, config, _loggerFactory);

    /// <inheritdoc/>
    public IMutableDuplexServer CreateMutableServer(string channelName, BufferConfig config) =>
        new MutableDuplexServer(channelName, config, _loggerFactory);

    /// <inheritdoc/>
    public IDuplexClient CreateClient(string channelName, BufferConfig? responseConfig = null) =>
        new DuplexClient(channelName, responseConfig ?? DuplexClient.DefaultResponseConfig, _loggerFactory);
}
