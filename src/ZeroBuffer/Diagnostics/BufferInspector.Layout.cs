using ZeroBuffer.Layout;
using ZeroBuffer.Platform;

namespace ZeroBuffer.Diagnostics;

/// <summary>Where a buffer's blocks lie in a mapping of it (PROTOCOL.md §2).</summary>
/// <param name="MappingAddress">The address this process mapped the shm at (the OIEB starts there).</param>
/// <param name="MappingSize">The size of the shm object.</param>
/// <param name="MetadataOffset">Offset of the metadata block: the OIEB's size (128).</param>
/// <param name="MetadataSize">The OIEB's metadata_size (the block's aligned size).</param>
/// <param name="PayloadOffset">Offset of the payload ring: right after the metadata block.</param>
/// <param name="PayloadSize">The OIEB's payload_size (the ring's aligned size).</param>
public sealed record RegionLayout(
    ulong MappingAddress,
    long MappingSize,
    ulong MetadataOffset,
    ulong MetadataSize,
    ulong PayloadOffset,
    ulong PayloadSize);

public static unsafe partial class BufferInspector
{
    /// <summary>Maps the buffer read-only and reports where its OIEB, metadata block and payload ring start.</summary>
    /// <exception cref="BufferNotFoundException">No such buffer, or its OIEB is not published yet.</exception>
    public static RegionLayout Layout(string name)
    {
        using SharedMemory shm = DiagnosticMapping.Open(name, writable: false, mapLimit: Oieb.Size);

        Oieb* o = (Oieb*)shm.Pointer;
        ulong metadataSize = Volatile.Read(ref o->MetadataSize);
        return new RegionLayout(
            MappingAddress: (ulong)shm.Pointer,
            MappingSize: shm.FileSize,
            MetadataOffset: (ulong)BufferLayout.MetadataOffset,
            MetadataSize: metadataSize,
            PayloadOffset: (ulong)BufferLayout.MetadataOffset + metadataSize,
            PayloadSize: Volatile.Read(ref o->PayloadSize));
    }
}
