using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static class MemoryProtection
    {
        internal const int PROT_READ = 0x1;
        internal const int PROT_WRITE = 0x2;
        internal const int MAP_SHARED = 0x01;
        internal static readonly nint MAP_FAILED = -1;
    }

    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial nint MMap(nint addr, nuint length, int prot, int flags, SafeShmHandle fd, long offset);

        [LibraryImport(Libraries.Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int MUnmap(nint addr, nuint length);
    }
}
