using System.Runtime.InteropServices;

namespace ZeroBuffer.Platform;

internal static partial class Interop
{
    internal const int CLOCK_REALTIME = 0;

    internal static partial class Libc
    {
        [LibraryImport(Libraries.Libc, EntryPoint = "clock_gettime", SetLastError = true)]
        internal static partial int ClockGetTime(int clockId, out Timespec time);
    }
}
