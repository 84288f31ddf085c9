using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>Reads a buffer's OIEB without changing anything (the shm is opened and mapped read-only).</summary>
public static unsafe partial class BufferInspector
{
    /// <exception cref="InvalidBufferNameException">The name breaks the naming rule.</exception>
    /// <exception cref="BufferNotFoundException">No such buffer, or it is too small to hold an OIEB yet.</exception>
    public static BufferState Inspect(string name)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false, mapLimit: Oieb.Size);

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

    /// <summary>
    /// What the payload ring holds at <paramref name="offset"/> (0-based in the ring): an implicit wrap when fewer
    /// than 16 bytes are left to its end, else the 16-byte header there, a wrap marker when it is all zeros.
    /// Zeros that no writer ever wrote read as a marker too: combine with payload_written_count to tell them apart.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is not inside the ring.</exception>
    /// <exception cref="BufferNotFoundException">No such buffer.</exception>
    public static RingEntry RingEntryAt(string name, ulong offset)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false);

        Oieb* o = (Oieb*)shm.Pointer;
        ulong payloadStart = Oieb.Size + Volatile.Read(ref o->MetadataSize);
        ulong payloadSize = Volatile.Read(ref o->PayloadSize);
        if ((ulong)shm.MappedLength < payloadStart || payloadSize > (ulong)shm.MappedLength - payloadStart || offset >= payloadSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset {offset} is not inside the {payloadSize}-byte ring of buffer '{name}' (mapping {shm.MappedLength} bytes).");
        }

        ulong toEnd = payloadSize - offset;
        if (toEnd < FrameHeader.Size)
        {
            return new RingEntry(offset, RingEntryKind.ImplicitWrap, 0, 0, toEnd);
        }

        // Frames have no padding, so a header may sit at any offset.
        FrameHeader header = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<FrameHeader>(shm.Pointer + payloadStart + offset);
        return header is { PayloadSize: 0, Sequence: 0 }
            ? new RingEntry(offset, RingEntryKind.WrapMarker, 0, 0, toEnd)
            : new RingEntry(offset, RingEntryKind.Frame, header.PayloadSize, header.Sequence, 0);
    }

    /// <summary>The value (sem_getvalue) of the buffer's sem-w (<paramref name="written"/>) or sem-r semaphore.</summary>
    /// <exception cref="BufferNotFoundException">The semaphore does not exist.</exception>
    public static int SemaphoreValue(string name, bool written)
    {
        BufferNames.Validate(name);
        string osName = written ? NamedSemaphore.WrittenName(name) : NamedSemaphore.FreedName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryOpen(osName, name)
            ?? throw new BufferNotFoundException($"Buffer '{name}' has no semaphore '{osName}'.", name);
        return semaphore.Value;
    }

    /// <summary>Where the buffer's lock file lives (PROTOCOL.md §1).</summary>
    public static string LockFilePath(string name)
    {
        BufferNames.Validate(name);
        return LockDirectory.LockFilePath(name);
    }

    /// <summary>
    /// Whether some open file holds the buffer's lock file: a non-blocking exclusive flock on a new
    /// descriptor fails. When it succeeds the lock is released at once. A holder in this process counts too.
    /// </summary>
    /// <exception cref="BufferNotFoundException">There is no lock file.</exception>
    public static bool IsLockFileHeld(string name)
    {
        string path = LockFilePath(name);
        if (!File.Exists(path))
        {
            throw new BufferNotFoundException($"Buffer '{name}' has no lock file '{path}'.", name);
        }

        using LockFile? probe = LockFile.TryAcquireExisting(path, name);
        return probe is null && File.Exists(path);
    }

    /// <summary>Whether the buffer's shared memory object exists (<c>/dev/shm/&lt;name&gt;</c>).</summary>
    public static bool SharedMemoryExists(string name)
    {
        BufferNames.Validate(name);
        using SharedMemory? shm = SharedMemory.TryOpen(name, writable: false, minimumSize: long.MaxValue);
        return shm is not null;
    }

    /// <summary>Whether the buffer's sem-w (<paramref name="written"/>) or sem-r semaphore exists.</summary>
    public static bool SemaphoreExists(string name, bool written)
    {
        BufferNames.Validate(name);
        string osName = written ? NamedSemaphore.WrittenName(name) : NamedSemaphore.FreedName(name);
        using NamedSemaphore? semaphore = NamedSemaphore.TryOpen(osName, name);
        return semaphore is not null;
    }
}
