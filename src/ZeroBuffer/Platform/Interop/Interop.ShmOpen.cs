using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "shm_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial SafeShmHandle ShmOpen(string name, int oflag, uint mode);

        [LibraryImport(Libraries.Libc, EntryPoint = "shm_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int ShmUnlink(string name);
    }
}
