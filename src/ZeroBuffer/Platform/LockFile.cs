namespace ZeroBuffer.Platform;

/// <summary>
/// An exclusively flock-ed lock file: while a reader holds it, no other reader can create the buffer,
/// and stale-resource cleanup leaves the buffer alone (PROTOCOL.md §5).
/// </summary>
internal sealed class LockFile : IDisposable
{
    private const int MaxAttempts = 8;

    private readonly SafeLockFileHandle _fd;

    private LockFile(string path, SafeLockFileHandle fd)
    {
        Path = path;
        _fd = fd;
    }

    internal string Path { get; }

    /// <summary>
    /// Creates (if needed) and locks the file without blocking; null when another holder has it.
    /// </summary>
    internal static LockFile? TryAcquire(string path, string bufferName) => TryLock(path, bufferName, create: true);

    /// <summary>Locks an existing file without blocking; null when it is missing or held.</summary>
    internal static LockFile? TryAcquireExisting(string path, string bufferName) => TryLock(path, bufferName, create: false);

    /// <summary>Deletes the file while still holding the lock, then releases it.</summary>
    internal void DeleteAndRelease()
    {
        // Unlinking before unlocking means anyone who locks our (now nameless) inode afterwards sees
        // that the path no longer names it and retries with a fresh file.
        Interop.Libc.Unlink(Path);
        _fd.Dispose();
    }

    public void Dispose() => _fd.Dispose();

    private static LockFile? TryLock(string path, string bufferName, bool create)
    {
        int flags = Interop.OpenFlags.O_RDWR | Interop.OpenFlags.O_CLOEXEC | (create ? Interop.OpenFlags.O_CREAT : 0);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            SafeLockFileHandle fd = Interop.Libc.Open(path, flags, Interop.OpenFlags.Mode0600);
            if (fd.IsInvalid)
            {
                int errno = Interop.LastErrno;
                fd.Dispose();
                if (!create && errno == Interop.Errno.ENOENT)
                {
                    return null;
                }

                throw Interop.ErrnoToException(errno, "open", path, bufferName);
            }

            if (Interop.Libc.Flock(fd, Interop.LOCK_EX | Interop.LOCK_NB) != 0)
            {
                int errno = Interop.LastErrno;
                fd.Dispose();
                if (errno == Interop.Errno.EAGAIN)
                {
                    return null;
                }

                throw Interop.ErrnoToException(errno, "flock", path, bufferName);
            }

            // Between open and flock, a cleaner may have deleted the file we opened; then our lock is
            // on an orphaned inode that nobody else can see. Only a lock on the inode the path names counts.
            if (Interop.Libc.FStat(fd, out Interop.FileStatus held) == 0 &&
                Interop.Libc.Stat(path, out Interop.FileStatus named) == 0 &&
                held.Device == named.Device && held.Inode == named.Inode)
            {
                return new LockFile(path, fd);
            }

            fd.Dispose();
            if (!create)
            {
                return null;
            }
        }

        throw new ZeroBufferException($"Could not lock '{path}' for buffer '{bufferName}': it was replaced {MaxAttempts} times in a row.", bufferName);
    }
}
