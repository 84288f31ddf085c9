using System.Runtime.InteropServices;

namespace ZeroBuffer.Tool.Bench.Interop;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int OCreat = 0x40;
        internal const int OExcl = 0x80;
        internal const int EIntr = 4;
        internal const int ETimedOut = 110;

        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        // sem_open is variadic; on x86-64 and arm64 Linux the two trailing int arguments travel in
        // the same registers as for a fixed-arity call, so this 4-argument binding is correct there.
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial SafeSemaphoreHandle SemOpen(string name, int flags, uint mode, uint value);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_close", SetLastError = true)]
        internal static partial int SemClose(IntPtr semaphore);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int SemUnlink(string name);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_post", SetLastError = true)]
        internal static partial int SemPost(SafeSemaphoreHandle semaphore);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_timedwait", SetLastError = true)]
        internal static unsafe partial int SemTimedWait(SafeSemaphoreHandle semaphore, TimeSpec* absoluteTimeout);
    }
}
