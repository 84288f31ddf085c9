using System.Runtime.InteropServices;

namespace ZeroBuffer.Tool.Bench.Interop;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>cpu_set_t: 1024 bits.</summary>
        internal const int CpuSetWords = 16;

        // pid 0 = the calling thread (Linux affinity is per thread; new threads inherit it).
        [LibraryImport(Libraries.Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
        internal static unsafe partial int SchedSetAffinity(int pid, nuint cpuSetSize, ulong* mask);

        [LibraryImport(Libraries.Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
        internal static unsafe partial int SchedGetAffinity(int pid, nuint cpuSetSize, ulong* mask);
    }
}
