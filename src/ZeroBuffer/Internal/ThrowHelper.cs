using System.Diagnostics.CodeAnalysis;

namespace ZeroBuffer.Internal;

/// <summary>Throws for the hot paths, kept out of line so Read/Write stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowInvalidFrameSizeZero(string name) =>
        throw new InvalidFrameSizeException($"Buffer '{name}': a frame must carry at least 1 byte (got 0).", name);

    [DoesNotReturn]
    internal static void ThrowFrameTooLarge(string name, long size, long payloadSize) =>
        throw new FrameTooLargeException(
            $"Buffer '{name}': a frame of {size} bytes needs {size + 16} bytes with its 16-byte header, but the payload ring holds {payloadSize}.",
            name);

    [DoesNotReturn]
    internal static void ThrowBufferFull(string name, long required, long free, long payloadSize, TimeSpan timeout) =>
        throw new BufferFullException(
            required > payloadSize
                ? $"Buffer '{name}' is full: at the current write position the frame needs {required} bytes (wasted tail + frame) but the ring holds {payloadSize}; frames larger than half the ring cannot always wrap (use a payload of at least 3x the largest frame)."
                : $"Buffer '{name}' is full: {required} bytes needed, {free} free after waiting {timeout.TotalMilliseconds:0} ms; the reader is alive but not releasing frames.",
            name);

    [DoesNotReturn]
    internal static void ThrowReaderDead(string name, ulong readerPid) =>
        throw new ReaderDeadException(
            readerPid == 0
                ? $"Buffer '{name}' has no reader (reader_pid = 0)."
                : $"The reader of buffer '{name}' (pid {readerPid}) is no longer running.",
            name);

    [DoesNotReturn]
    internal static void ThrowWriterDead(string name, ulong writerPid) =>
        throw new WriterDeadException($"The writer of buffer '{name}' (pid {writerPid}) is no longer running.", name);

    [DoesNotReturn]
    internal static void ThrowWriterClosed(string name, ulong written, ulong read) =>
        throw new WriterDeadException(
            $"The writer of buffer '{name}' disconnected and no frame is left (written {written}, read {read}).",
            name);

    [DoesNotReturn]
    internal static void ThrowSequenceError(string name, ulong expected, ulong got, long readPos) =>
        throw new SequenceErrorException(
            $"Buffer '{name}': sequence error at read position {readPos}: expected {expected}, got {got}.",
            name, expected, got);

    [DoesNotReturn]
    internal static void ThrowCorruptFrameSize(string name, ulong size, long readPos, long payloadSize) =>
        throw new InvalidFrameSizeException(
            $"Buffer '{name}': frame header at read position {readPos} claims {size} payload bytes, but at most {Math.Max(0, payloadSize - readPos - 16)} fit before the end of the {payloadSize}-byte ring (corrupt buffer).",
            name);

    [DoesNotReturn]
    internal static void ThrowFrameOutstanding(string name) =>
        throw new InvalidOperationException($"Buffer '{name}': a frame buffer is already outstanding; call CommitFrame() first.");

    [DoesNotReturn]
    internal static void ThrowNoFrameOutstanding(string name) =>
        throw new InvalidOperationException($"Buffer '{name}': CommitFrame() without a GetFrameBuffer().");

    [DoesNotReturn]
    internal static void ThrowObjectDisposed(string typeName, string name) =>
        throw new ObjectDisposedException(typeName, $"The {typeName} of buffer '{name}' is disposed.");
}
