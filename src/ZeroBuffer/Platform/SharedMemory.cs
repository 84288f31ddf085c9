namespace ZeroBuffer.Platform;

/// <summary>
/// A named shared-memory object and its mapping. Creating and unlinking are separate decisions:
/// only the reader (the owner) unlinks. The *Core methods in SharedMemory.Linux.cs are the OS seam.
/// </summary>
internal sealed unsafe partial class SharedMemory : IDisposable
{
    private readonly SafeShmHandle _fd;
    private readonly SafeMappedViewHandle? _view;

    private SharedMemory(string bufferName, SafeShmHandle fd, SafeMappedViewHandle? view, long fileSize)
    {
        BufferName = bufferName;
        _fd = fd;
        _view = view;
        FileSize = fileSize;
    }

    internal string BufferName { get; }

    /// <summary>The size of the object when it was opened (0 when its creator has not sized it yet).</summary>
    internal long FileSize { get; }

    /// <summary>Start of the mapping, or null when nothing is mapped.</summary>
    internal byte* Pointer => _view is null ? null : (byte*)_view.DangerousGetHandle();

    internal long MappedLength => _view is null ? 0 : (long)_view.Length;

    internal static string OsName(string bufferName) => "/" + bufferName;

    /// <summary>Creates, sizes and maps a new object (mode 0600); null when one already exists.</summary>
    internal static SharedMemory? TryCreateNew(string bufferName, long size) => TryCreateNewCore(bufferName, size);

    /// <summary>
    /// Opens an existing object; null when it does not exist. Maps min(file size, <paramref name="mapLimit"/>)
    /// bytes when the object holds at least <paramref name="minimumSize"/> bytes, otherwise maps nothing.
    /// </summary>
    internal static SharedMemory? TryOpen(string bufferName, bool writable, long minimumSize, long mapLimit = long.MaxValue) =>
        TryOpenCore(bufferName, writable, minimumSize, mapLimit);

    /// <summary>Removes the name; false when it did not exist.</summary>
    internal static bool Unlink(string bufferName) => UnlinkCore(bufferName);

    /// <summary>Whether the name still denotes this object (false once it was unlinked or replaced).</summary>
    internal bool IsStillNamed() => IsStillNamedCore();

    public void Dispose()
    {
        _view?.Dispose();
        _fd.Dispose();
    }
}
