using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>Reads a buffer's OIEB without changing anything (the shm is opened and mapped read-only).</summary>
public static unsafe class BufferInspector
{
    /// <exception cref="InvalidBufferNameException">The name breaks the naming rule.</exception>
    /// <exception cref="BufferNotFoundException">No such buffer, or it is too small to hold an OIEB yet.</exception>
    public static BufferState Inspect(string name)
    {
        BufferNames.Validate(name);
        using SharedMemory shm = SharedMemory.TryOpen(name, writable: false, minimumSize: Oieb.Size, mapLimit: Oieb.Size)
            ?? throw new BufferNotFoundException($"Buffer '{name}' does not exist.", name);
        if (shm.Pointer == null)
        {
            throw new BufferNotFoundException($"Buffer '{name}' exists but holds only {shm.FileSize} bytes (its reader is still creating it).", name);
        }

        Oieb* o = (Oieb*)shm.Pointer;
        uint oiebSize = Volatile.Read(ref o->OiebSize);
        ulong writerPid = Volatile.Read(ref o->WriterPid);
        ulong readerPid = Volatile.Read(ref o->ReaderPid);
        return new BufferState(
            OiebSize: oiebSize,
            Version: $"{o->Major}.{o->Minor}.{o->Patch}",
            MetadataSize: Volatile.Read(ref o->MetadataSize),
            MetadataFreeBytes: Volatile.Read(ref o->MetadataFreeBytes),
            MetadataWrittenBytes: Volatile.Read(ref o->MetadataWrittenBytes),
            PayloadSize: Volatile.Read(ref o->PayloadSize),
            PayloadFreeBytes: (ulong)Volatile.Read(ref o->PayloadFreeBytes),
            PayloadWritePos: Volatile.Read(ref o->PayloadWritePos),
            PayloadReadPos: Volatile.Read(ref o->PayloadReadPos),
            PayloadWrittenCount: Volatile.Read(ref o->PayloadWrittenCount),
            PayloadReadCount: Volatile.Read(ref o->PayloadReadCount),
            WriterPid: writerPid,
            ReaderPid: readerPid,
            ReaderAlive: ProcessLiveness.IsAlive(readerPid),
            WriterAlive: ProcessLiveness.IsAlive(writerPid));
    }
}
