namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// The clocks of the benchmark steps (STEPS.md "Benchmarks"): CLOCK_MONOTONIC in nanoseconds, the clock the
/// C++ worker's steady_clock and Python's time.monotonic_ns read too, so a frame stamped by a writer of any
/// language is timed by a reader of any other; and the process's CPU time (CLOCK_PROCESS_CPUTIME_ID, every
/// thread, nanosecond resolution; /proc/self/stat would give 10 ms ticks, too coarse for "below 1 %").
/// </summary>
public static class BenchClock
{
    public static long NowNs() => BenchInterop.Nanoseconds(BenchInterop.ClockMonotonic);

    public static long ProcessCpuNs() => BenchInterop.Nanoseconds(BenchInterop.ClockProcessCpuTime);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).</summary>
    public static long ThreadCpuNs() => BenchInterop.Nanoseconds(BenchInterop.ClockThreadCpuTime);
}

/// <summary>CPU % of this process (user + system, all threads) over the wall time since it was started.</summary>
public sealed class CpuMeter
{
    private readonly long _wall0 = BenchClock.NowNs();
    private readonly long _cpu0 = BenchClock.ProcessCpuNs();

    public static CpuMeter Start() => new();

    public double ElapsedSeconds => (BenchClock.NowNs() - _wall0) / 1e9;

    public double CpuPercent()
    {
        long wall = BenchClock.NowNs() - _wall0;
        long cpu = BenchClock.ProcessCpuNs() - _cpu0;
        return wall <= 0 ? 0 : 100.0 * cpu / wall;
    }
}
