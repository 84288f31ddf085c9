using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    /// <summary>Linux errno values the library reacts to (asm-generic/errno-base.h, errno.h).</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int ESRCH = 3;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int EBADF = 9;
        internal const int EAGAIN = 11; // == EWOULDBLOCK
        internal const int ENOMEM = 12;
        internal const int EACCES = 13;
        internal const int EBUSY = 16;
        internal const int EEXIST = 17;
        internal const int EINVAL = 22;
        internal const int ENFILE = 23;
        internal const int EMFILE = 24;
        internal const int ENOSPC = 28;
        internal const int ENAMETOOLONG = 36;
        internal const int EOVERFLOW = 75;
        internal const int ETIMEDOUT = 110;

        /// <summary>"EACCES" for 13; "errno N" for a value without a name here.</summary>
        internal static string Name(int errno) => errno switch
        {
            EPERM => nameof(EPERM),
            ENOENT => nameof(ENOENT),
            ESRCH => nameof(ESRCH),
            EINTR => nameof(EINTR),
            EIO => nameof(EIO),
            EBADF => nameof(EBADF),
            EAGAIN => nameof(EAGAIN),
            ENOMEM => nameof(ENOMEM),
            EACCES => nameof(EACCES),
            EBUSY => nameof(EBUSY),
            EEXIST => nameof(EEXIST),
            EINVAL => nameof(EINVAL),
            ENFILE => nameof(ENFILE),
            EMFILE => nameof(EMFILE),
            ENOSPC => nameof(ENOSPC),
            ENAMETOOLONG => nameof(ENAMETOOLONG),
            EOVERFLOW => nameof(EOVERFLOW),
            ETIMEDOUT => nameof(ETIMEDOUT),
            _ => $"errno {errno}",
        };
    }

    /// <summary>The errno of the last <c>SetLastError = true</c> call on this thread.</summary>
    internal static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>
    /// The one place where errno becomes an exception. <paramref name="resource"/> names the shm
    /// segment, semaphore or lock file, so every message says what failed.
    /// The table of PROTOCOL.md §6, pinned by testdata/errno/errno-kinds.json; anything it does not name
    /// is a <see cref="SystemErrorException"/>.
    /// </summary>
    internal static ZeroBufferException ErrnoToException(int errno, string operation, string resource, string bufferName)
    {
        string text = $"{operation} '{resource}' (buffer '{bufferName}'): {Marshal.GetPInvokeErrorMessage(errno)} ({Errno.Name(errno)})";
        return errno switch
        {
            Errno.ENOENT => new BufferNotFoundException(text, bufferName, errno),
            Errno.EACCES or Errno.EPERM => new PermissionDeniedException(text, bufferName, errno),
            Errno.ENOSPC or Errno.EMFILE or Errno.ENFILE or Errno.ENOMEM => new ResourceExhaustedException(text, bufferName, errno),
            Errno.ENAMETOOLONG => new InvalidBufferNameException(text, bufferName, errno),
            _ => new SystemErrorException(text, bufferName, errno),
        };
    }

    /// <summary>Returns <paramref name="result"/> when it is not -1, else throws the mapped exception.</summary>
    internal static int CheckIo(int result, string operation, string resource, string bufferName)
    {
        if (result == -1)
        {
            throw ErrnoToException(LastErrno, operation, resource, bufferName);
        }

        return result;
    }
}
