using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // shm_open returns a C int. A SafeHandle return would be read as a 64-bit value whose upper
        // half is undefined, so -1 would not reliably look invalid: take the int, wrap it ourselves.
        [LibraryImport(Libraries.Libc, EntryPoint = "shm_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int ShmOpenRaw(string name, int oflag, uint mode);

        /// <summary>shm_open; the handle is invalid on failure (errno in <see cref="LastErrno"/>).</summary>
        internal static SafeShmHandle ShmOpen(string name, int oflag, uint mode) => new(ShmOpenRaw(name, oflag, mode));

        [LibraryImport(Libraries.Libc, EntryPoint = "shm_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int ShmUnlink(string name);
    }
}
