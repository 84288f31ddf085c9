using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(nint fd);
    }
}
