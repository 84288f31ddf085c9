using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        internal long Seconds;
        internal long Nanoseconds;
    }

    internal static partial class Libc
    {
        // The hot path passes the raw sem_t* (kept alive by its owner) instead of the SafeHandle, which
        // would cost two interlocked ref-count operations per call.
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_post", SetLastError = true)]
        internal static partial int SemPost(nint sem);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_trywait", SetLastError = true)]
        internal static partial int SemTryWait(nint sem);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_timedwait", SetLastError = true)]
        internal static partial int SemTimedWait(nint sem, in Timespec absoluteTimeout);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_getvalue", SetLastError = true)]
        internal static partial int SemGetValue(nint sem, out int value);
    }
}
