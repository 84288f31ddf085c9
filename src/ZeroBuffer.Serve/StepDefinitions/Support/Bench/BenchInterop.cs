using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// The libc calls the benchmark steps need that the library does not expose: the two clocks every worker
/// measures with (STEPS.md "Benchmarks": CLOCK_MONOTONIC is system-wide, so a stamp taken in one process
/// can be compared in another) and the named semaphores of the latency probe pair.
/// </summary>
internal static partial class BenchInterop
{
    internal const int ClockRealtime = 0;
    internal const int ClockMonotonic = 1;
    internal const int ClockProcessCpuTime = 2;
    internal const int ClockThreadCpuTime = 3;

    internal const int OCreat = 0x40;
    internal const int OExcl = 0x80;
    internal const int ETimedOut = 110;
    internal const int EIntr = 4;

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        internal long Seconds;
        internal long Nanoseconds;
    }

    internal const int TimerAbsTime = 1;

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    internal static partial int ClockGetTime(int clockId, out Timespec time);

    // Sleeps to an absolute CLOCK_MONOTONIC time with the kernel's precision (Thread.Sleep and WaitOne round to
    // whole milliseconds, which caps a paced writer near 1 kHz).
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    internal static partial int ClockNanosleep(int clockId, int flags, in Timespec request, nint remain);

    // sem_open is variadic; the 4-argument form with 32-bit mode and value is ABI-correct on x86_64 and
    // arm64 Linux (the library binds it the same way and tests it).
    [LibraryImport("libc", EntryPoint = "sem_open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint SemOpen(string name, int oflag, uint mode, uint value);

    [LibraryImport("libc", EntryPoint = "sem_post", SetLastError = true)]
    internal static partial int SemPost(nint sem);

    [LibraryImport("libc", EntryPoint = "sem_timedwait", SetLastError = true)]
    internal static partial int SemTimedWait(nint sem, in Timespec absoluteRealtime);

    [LibraryImport("libc", EntryPoint = "sem_close", SetLastError = true)]
    internal static partial int SemClose(nint sem);

    [LibraryImport("libc", EntryPoint = "sem_unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SemUnlink(string name);

    internal static long Nanoseconds(int clockId)
    {
        ClockGetTime(clockId, out Timespec t);
        return (t.Seconds * 1_000_000_000L) + t.Nanoseconds;
    }
}
