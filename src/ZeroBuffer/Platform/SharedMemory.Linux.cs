namespace ZeroBuffer.Platform;

internal sealed unsafe partial class SharedMemory
{
    private static SharedMemory? TryCreateNewCore(string bufferName, long size)
    {
        string osName = OsName(bufferName);
        SafeShmHandle fd = Interop.Libc.ShmOpen(
            osName,
            Interop.OpenFlags.O_CREAT | Interop.OpenFlags.O_EXCL | Interop.OpenFlags.O_RDWR | Interop.OpenFlags.O_CLOEXEC,
            Interop.OpenFlags.Mode0600);
        if (fd.IsInvalid)
        {
            int errno = Interop.LastErrno;
            fd.Dispose();
            if (errno == Interop.Errno.EEXIST)
            {
                return null;
            }

            throw Interop.ErrnoToException(errno, "shm_open(O_CREAT|O_EXCL)", osName, bufferName);
        }

        try
        {
            // ftruncate of a new object fills it with zeros, which is the "zero it" of PROTOCOL.md §5
            // without touching every page.
            Interop.CheckIo(Interop.Libc.FTruncate(fd, size), "ftruncate", osName, bufferName);

            // Reserve every page now: tmpfs allocates lazily, so a ring larger than the free space of
            // /dev/shm would map fine and SIGBUS on first touch (ENOSPC -> ResourceExhausted).
            int fallocateError = size == 0 ? 0 : Interop.Libc.PosixFallocate(fd, 0, size); // 0 would be EINVAL
            if (fallocateError != 0)
            {
                throw Interop.ErrnoToException(fallocateError, "posix_fallocate", osName, bufferName);
            }

            SafeMappedViewHandle view = Map(fd, size, writable: true, osName, bufferName);
            return new SharedMemory(bufferName, fd, view, size);
        }
        catch
        {
            // We created the name, so a failure must not leave it behind.
            fd.Dispose();
            Interop.Libc.ShmUnlink(osName);
            throw;
        }
    }

    private static SharedMemory? TryOpenCore(string bufferName, bool writable, long minimumSize, long mapLimit)
    {
        string osName = OsName(bufferName);
        int flags = (writable ? Interop.OpenFlags.O_RDWR : Interop.OpenFlags.O_RDONLY) | Interop.OpenFlags.O_CLOEXEC;
        SafeShmHandle fd = Interop.Libc.ShmOpen(osName, flags, 0);
        if (fd.IsInvalid)
        {
            int errno = Interop.LastErrno;
            fd.Dispose();
            if (errno == Interop.Errno.ENOENT)
            {
                return null;
            }

            throw Interop.ErrnoToException(errno, "shm_open", osName, bufferName);
        }

        try
        {
            Interop.CheckIo(Interop.Libc.FStat(fd, out Interop.FileStatus status), "fstat", osName, bufferName);
            SafeMappedViewHandle? view = status.Size >= minimumSize && status.Size > 0
                ? Map(fd, Math.Min(status.Size, mapLimit), writable, osName, bufferName)
                : null;
            return new SharedMemory(bufferName, fd, view, status.Size);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private bool IsStillNamedCore() =>
        Interop.Libc.FStat(_fd, out Interop.FileStatus mine) == 0 &&
        Interop.Libc.Stat("/dev/shm/" + BufferName, out Interop.FileStatus named) == 0 &&
        mine.Device == named.Device && mine.Inode == named.Inode;

    private static bool UnlinkCore(string bufferName) => Interop.Libc.ShmUnlink(OsName(bufferName)) == 0;

    private static SafeMappedViewHandle Map(SafeShmHandle fd, long length, bool writable, string osName, string bufferName)
    {
        int prot = Interop.MemoryProtection.PROT_READ | (writable ? Interop.MemoryProtection.PROT_WRITE : 0);
        nint address = Interop.Libc.MMap(0, (nuint)length, prot, Interop.MemoryProtection.MAP_SHARED, fd, 0);
        if (address == Interop.MemoryProtection.MAP_FAILED)
        {
            throw Interop.ErrnoToException(Interop.LastErrno, "mmap", osName, bufferName);
        }

        return new SafeMappedViewHandle(address, (nuint)length);
    }
}
