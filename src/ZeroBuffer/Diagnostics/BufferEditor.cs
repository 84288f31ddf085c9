using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>
/// Reads raw images of a live buffer and edits it from outside its reader and writer, for tests and the
/// fuzzer (tests/fuzz). The edits deliberately bypass every protocol rule. Fields are named as in
/// PROTOCOL.md §2; <c>version_major</c>/<c>_minor</c>/<c>_patch</c> are the version bytes.
/// </summary>
public static unsafe class BufferEditor
{
    private static readonly Dictionary<string, (int Offset, int Width)> Fields = new()
    {
        ["oieb_size"] = (Oieb.OiebSizeOffset, 4),
        ["version_major"] = (Oieb.VersionOffset, 1),
        ["version_minor"] = (Oieb.VersionOffset + 1, 1),
        ["version_patch"] = (Oieb.VersionOffset + 2, 1),
        ["metadata_size"] = (Oieb.MetadataSizeOffset, 8),
        ["metadata_free_bytes"] = (Oieb.MetadataFreeBytesOffset, 8),
        ["metadata_written_bytes"] = (Oieb.MetadataWrittenBytesOffset, 8),
        ["payload_size"] = (Oieb.PayloadSizeOffset, 8),
        ["payload_free_bytes"] = (Oieb.PayloadFreeBytesOffset, 8),
        ["payload_write_pos"] = (Oieb.PayloadWritePosOffset, 8),
        ["payload_read_pos"] = (Oieb.PayloadReadPosOffset, 8),
        ["payload_written_count"] = (Oieb.PayloadWrittenCountOffset, 8),
        ["payload_read_count"] = (Oieb.PayloadReadCountOffset, 8),
        ["writer_pid"] = (Oieb.WriterPidOffset, 8),
        ["reader_pid"] = (Oieb.ReaderPidOffset, 8),
    };

    /// <summary>The OIEB field names <see cref="WriteOiebField"/> accepts.</summary>
    public static IReadOnlyCollection<string> FieldNames => Fields.Keys;

    /// <summary>A copy of the 128 OIEB bytes.</summary>
    public static byte[] OiebImage(string name)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false);
        return new ReadOnlySpan<byte>(shm.Pointer, Oieb.Size).ToArray();
    }

    /// <summary>A copy of a region, located through the OIEB's sizes and clamped to the mapping.</summary>
    public static byte[] RegionImage(string name, BufferRegion region)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false);
        (long start, long end) = Bounds(shm, region);
        return new ReadOnlySpan<byte>(shm.Pointer + start, (int)(end - start)).ToArray();
    }

    /// <summary>Stores <paramref name="value"/> (truncated to the field's width) into one OIEB field.</summary>
    /// <exception cref="ArgumentException">Unknown field name.</exception>
    public static void WriteOiebField(string name, string field, ulong value)
    {
        if (!Fields.TryGetValue(field, out var spec))
        {
            throw new ArgumentException($"Unknown OIEB field '{field}'.", nameof(field));
        }

        using SharedMemory shm = DiagnosticMapping.Open(name, writable: true);
        byte* target = shm.Pointer + spec.Offset;
        for (int i = 0; i < spec.Width; i++)
        {
            target[i] = (byte)(value >> (8 * i)); // little-endian
        }
    }

    /// <summary>Overwrites bytes at <paramref name="offset"/> of a region.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bytes do not fit the region.</exception>
    public static void WriteRegionBytes(string name, BufferRegion region, long offset, ReadOnlySpan<byte> bytes)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: true);
        (long start, long end) = Bounds(shm, region);
        if (offset < 0 || offset > end - start || bytes.Length > end - start - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{bytes.Length} bytes do not fit the {end - start}-byte {region} region of buffer '{name}'.");
        }

        bytes.CopyTo(new Span<byte>(shm.Pointer + start + offset, bytes.Length));
    }

    /// <summary>The frame header at <paramref name="offset"/> of the payload ring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">16 bytes at that offset do not fit the ring.</exception>
    public static FrameHeaderState ReadFrameHeader(string name, long offset)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false);
        FrameHeader* header = FrameHeaderAt(shm, name, offset);
        return new FrameHeaderState(Volatile.Read(ref header->PayloadSize), Volatile.Read(ref header->Sequence));
    }

    /// <summary>
    /// Overwrites the sequence of the frame header at <paramref name="offset"/> of the payload ring (as a
    /// corruption would); its payload size is left alone.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">16 bytes at that offset do not fit the ring.</exception>
    public static void WriteFrameSequence(string name, long offset, ulong sequence)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: true);
        Volatile.Write(ref FrameHeaderAt(shm, name, offset)->Sequence, sequence);
    }

    /// <summary>
    /// Overwrites the payload size of the frame header at <paramref name="offset"/> of the payload ring (as a
    /// corruption would); its sequence is left alone. Any value goes: the reader must refuse what does not fit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">16 bytes at that offset do not fit the ring.</exception>
    public static void WriteFramePayloadSize(string name, long offset, ulong payloadSize)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: true);
        Volatile.Write(ref FrameHeaderAt(shm, name, offset)->PayloadSize, payloadSize);
    }

    /// <summary>Posts the buffer's sem-w (<paramref name="written"/>) or sem-r <paramref name="count"/> times.</summary>
    public static void PostSemaphore(string name, bool written, int count = 1)
    {
        BufferNames.Validate(name);
        string osName = written ? NamedSemaphore.WrittenName(name) : NamedSemaphore.FreedName(name);
        using NamedSemaphore semaphore = NamedSemaphore.TryOpen(osName, name)
            ?? throw new BufferNotFoundException($"Buffer '{name}' has no semaphore '{osName}'.", name);
        for (int i = 0; i < count; i++)
        {
            semaphore.Post();
        }
    }

    private static FrameHeader* FrameHeaderAt(SharedMemory shm, string name, long offset)
    {
        (long start, long end) = Bounds(shm, BufferRegion.Payload);
        if (offset < 0 || offset > end - start - FrameHeader.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A {FrameHeader.Size}-byte frame header does not fit the {end - start}-byte payload ring of buffer '{name}' at offset {offset}.");
        }

        return (FrameHeader*)(shm.Pointer + start + offset);
    }

    private static (long Start, long End) Bounds(SharedMemory shm, BufferRegion region)
    {
        Oieb* oieb = (Oieb*)shm.Pointer;
        long room = shm.MappedLength - Oieb.Size;
        long payloadStart = Oieb.Size + (long)Math.Min(oieb->MetadataSize, (ulong)room);
        return region == BufferRegion.Metadata
            ? (Oieb.Size, payloadStart)
            : (payloadStart, payloadStart + (long)Math.Min(oieb->PayloadSize, (ulong)(shm.MappedLength - payloadStart)));
    }
}
