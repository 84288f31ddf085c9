using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // sem_open is variadic: sem_open(name, oflag, ...) with (mode_t mode, unsigned int value) only
        // when O_CREAT is set. We bind the 4-argument form with both as 32-bit unsigned values. On
        // x86_64 and arm64 Linux, variadic integer arguments travel in the same registers as fixed
        // ones, so this is ABI-correct there (tested by SemaphoreBindingTests). Apple arm64 passes
        // variadic arguments on the stack and would need another binding.
        [LibraryImport(Libraries.Libc, EntryPoint = "sem_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial SafeSemaphoreHandle SemOpen(string name, int oflag, uint mode, uint value);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_close", SetLastError = true)]
        internal static partial int SemClose(nint sem);

        [LibraryImport(Libraries.Libc, EntryPoint = "sem_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int SemUnlink(string name);
    }
}
