using Microsoft.Extensions.Logging;

namespace ZeroBuffer.Internal;

/// <summary>Every log line of the library, with its event id. Lines name the buffer or resource.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Created buffer '{Name}': metadata {MetadataSize} B, payload {PayloadSize} B, total {TotalSize} B")]
    internal static partial void BufferCreated(ILogger logger, string name, long metadataSize, long payloadSize, long totalSize);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Removed stale resources of buffer '{Name}' (reader pid {ReaderPid}, writer pid {WriterPid})")]
    internal static partial void StaleBufferRemoved(ILogger logger, string name, ulong readerPid, ulong writerPid);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Stale-resource check of '{Path}' skipped: {Reason}")]
    internal static partial void StaleCheckSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Closed reader of buffer '{Name}' and removed its shared memory, semaphores and lock file")]
    internal static partial void ReaderClosed(ILogger logger, string name);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Writer connected to buffer '{Name}' (payload {PayloadSize} B, write position {WritePos})")]
    internal static partial void WriterConnected(ILogger logger, string name, long payloadSize, long writePos);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Writer disconnected from buffer '{Name}' after {Frames} frames")]
    internal static partial void WriterClosed(ILogger logger, string name, ulong frames);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Cleanup of buffer '{Name}' failed for {Resource}: {Error}")]
    internal static partial void CleanupFailed(ILogger logger, string name, string resource, string error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Buffer '{Name}': {Count} frame(s) released out of order; their space waits for the earlier frames")]
    internal static partial void OutOfOrderRelease(ILogger logger, string name, int count);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Lock file '{Path}' of buffer '{Name}' is held without a live reader; retrying for up to {RetryMilliseconds} ms")]
    internal static partial void LockHeldRetrying(ILogger logger, string name, string path, int retryMilliseconds);
}
