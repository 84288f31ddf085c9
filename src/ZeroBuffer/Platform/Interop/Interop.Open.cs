using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    /// <summary>open(2) flags and permission bits (Linux generic values, x86_64 and arm64).</summary>
    internal static class OpenFlags
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_CLOEXEC = 0x80000;

        /// <summary>rw for the owner only (PROTOCOL.md §5: never 0666).</summary>
        internal const uint Mode0600 = 0x180;
    }

    internal static partial class Libc
    {
        // open(2) is variadic too; the mode is the single variadic argument, passed in a register.
        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int OpenRaw(string path, int flags, uint mode);

        /// <summary>open(2) of a lock file; the handle is invalid on failure (see <see cref="ShmOpen"/> for why int).</summary>
        internal static SafeLockFileHandle Open(string path, int flags, uint mode) => new(OpenRaw(path, flags, mode));

        [LibraryImport(Libraries.Libc, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Unlink(string path);
    }
}
