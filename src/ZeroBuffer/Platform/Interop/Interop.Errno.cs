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
        internal const int EAGAIN = 11; // == EWOULDBLOCK
        internal const int ENOMEM = 12;
        internal const int EACCES = 13;
        internal const int EEXIST = 17;
        internal const int EINVAL = 22;
        internal const int ENFILE = 23;
        internal const int EMFILE = 24;
        internal const int ENOSPC = 28;
        internal const int EOVERFLOW = 75;
        internal const int ETIMEDOUT = 110;
    }

    /// <summary>The errno of the last <c>SetLastError = true</c> call on this thread.</summary>
    internal static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>
    /// The one place where errno becomes an exception. <paramref name="resource"/> names the shm
    /// segment, semaphore or lock file, so every message says what failed.
    /// </summary>
    internal static ZeroBufferException ErrnoToException(int errno, string operation, string resource, string bufferName)
    {
        string text = $"{operation} failed for '{resource}' (buffer '{bufferName}'): {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return errno switch
        {
            Errno.ENOSPC or Errno.EMFILE or Errno.ENFILE or Errno.ENOMEM => new ResourceExhaustedException(text, bufferName, errno),
            Errno.EACCES or Errno.EPERM => new PermissionDeniedException(text, bufferName, errno),
            _ => new ZeroBufferException(text, bufferName, errno),
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
