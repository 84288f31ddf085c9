using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Returns 0 or the error number itself: posix_fallocate does not set errno.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "posix_fallocate")]
        internal static partial int PosixFallocate(SafeShmHandle fd, long offset, long length);
    }
}
