using System.IO.MemoryMappedFiles;
using ZeroBuffer.Layout;

namespace ZeroBuffer.Tests.Support;

/// <summary>
/// Maps /dev/shm/&lt;name&gt; directly, bypassing the library, to read or corrupt the raw bytes the way a
/// buggy or hostile process could.
/// </summary>
internal sealed class ShmProbe : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    internal ShmProbe(string name)
    {
        _file = MemoryMappedFile.CreateFromFile(Path.Combine("/dev/shm", name), FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);
    }

    internal long Length => _view.Capacity;

    internal long MetadataSize => (long)ReadU64(Oieb.MetadataSizeOffset);

    internal long PayloadOffset => Oieb.Size + MetadataSize;

    internal ulong ReadU64(long offset) => _view.ReadUInt64(offset);

    internal void WriteU64(long offset, ulong value) => _view.Write(offset, value);

    internal void WriteU32(long offset, uint value) => _view.Write(offset, value);

    internal void WriteByte(long offset, byte value) => _view.Write(offset, value);

    /// <summary>Offset in the file of a frame header at ring position <paramref name="ringPos"/>.</summary>
    internal long RingOffset(long ringPos) => PayloadOffset + ringPos;

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
