using Microsoft.Extensions.Logging;

namespace ZeroBuffer.DuplexChannel;

/// <summary>Every log line of the duplex channel, with its event id (100+, after the ring buffer's).</summary>
internal static partial class DuplexLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Duplex server '{Channel}' started ({Mode}, {Handlers} handler(s), correlated {Correlated})")]
    internal static partial void ServerStarted(ILogger logger, string channel, ProcessingMode mode, int handlers, bool correlated);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Duplex server '{Channel}' stopped")]
    internal static partial void ServerStopped(ILogger logger, string channel);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Duplex server '{Channel}' connected to a client's response buffer")]
    internal static partial void ClientConnected(ILogger logger, string channel);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Duplex server '{Channel}' lost its client ({Reason}); {Dropped} pending request(s) dropped, waiting for the next client")]
    internal static partial void ClientLost(ILogger logger, string channel, string reason, int dropped);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Duplex server '{Channel}': its client left ({Reason}); waiting for the next client")]
    internal static partial void ClientLeft(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Duplex server '{Channel}': the handler failed on request {Sequence}; that request gets no response")]
    internal static partial void HandlerFailed(ILogger logger, string channel, ulong sequence, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Duplex server '{Channel}': the handler wrote no response to request {Sequence}")]
    internal static partial void NoResponse(ILogger logger, string channel, ulong sequence);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Duplex server '{Channel}' cannot use the response buffer yet: {Reason}")]
    internal static partial void ConnectFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Critical, Message = "Duplex server '{Channel}' loop failed; the server no longer answers")]
    internal static partial void LoopFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 109, Level = LogLevel.Debug, Message = "Duplex client of '{Channel}' connected (response mode {Mode})")]
    internal static partial void ClientModeDetected(ILogger logger, string channel, string mode);
}
