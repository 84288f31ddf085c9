namespace ZeroBuffer.Diagnostics;

/// <summary>
/// A snapshot of a buffer's OIEB (PROTOCOL.md §2) plus whether the recorded processes are alive.
/// Fields are read one by one without locking, so a busy buffer may show a mix of moments.
/// </summary>
public sealed record BufferState(
    uint OiebSize,
    string Version,
    ulong MetadataSize,
    ulong MetadataFreeBytes,
    ulong MetadataWrittenBytes,
    ulong PayloadSize,
    ulong PayloadFreeBytes,
    ulong PayloadWritePos,
    ulong PayloadReadPos,
    ulong PayloadWrittenCount,
    ulong PayloadReadCount,
    ulong WriterPid,
    ulong ReaderPid,
    bool ReaderAlive,
    bool WriterAlive);
