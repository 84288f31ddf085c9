using System.Runtime.InteropServices;

namespace ZeroBuffer.Serve.StepDefinitions.Support.Bench;

/// <summary>
/// One of the two named semaphores of the latency probe pair (STEPS.md "Benchmarks": <c>/bench-ping-&lt;buffer&gt;</c>,
/// <c>/bench-pong-&lt;buffer&gt;</c>). The writer's step creates them and unlinks them when its work ends; the
/// reader's step opens them. Disposing closes (never unlinks).
/// </summary>
public sealed class ProbeSemaphore : IDisposable
{
    private nint _sem;

    private ProbeSemaphore(string name, nint sem)
    {
        Name = name;
        _sem = sem;
    }

    public string Name { get; }

    public static string PingName(string buffer) => "/bench-ping-" + buffer;

    public static string PongName(string buffer) => "/bench-pong-" + buffer;

    /// <summary>O_CREAT|O_EXCL, mode 0600, value 0.</summary>
    public static ProbeSemaphore Create(string name) => Open(name, BenchInterop.OCreat | BenchInterop.OExcl);

    public static ProbeSemaphore OpenExisting(string name) => Open(name, 0);

    /// <summary>Removes the name (ENOENT is fine: the peer or cleanup may have removed it first).</summary>
    public static void Unlink(string name) => BenchInterop.SemUnlink(name);

    public void Post()
    {
        if (BenchInterop.SemPost(_sem) != 0)
        {
            throw new InvalidOperationException($"sem_post on '{Name}' failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits until the semaphore can be decremented; false after <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout)
    {
        long deadline = BenchInterop.Nanoseconds(BenchInterop.ClockRealtime) + (long)(timeout.TotalMilliseconds * 1_000_000);
        var at = new BenchInterop.Timespec { Seconds = deadline / 1_000_000_000, Nanoseconds = deadline % 1_000_000_000 };
        while (true)
        {
            if (BenchInterop.SemTimedWait(_sem, at) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == BenchInterop.ETimedOut)
            {
                return false;
            }

            if (errno != BenchInterop.EIntr)
            {
                throw new InvalidOperationException($"sem_timedwait on '{Name}' failed: errno {errno}.");
            }
        }
    }

    public void Dispose()
    {
        nint sem = Interlocked.Exchange(ref _sem, 0);
        if (sem != 0)
        {
            BenchInterop.SemClose(sem);
        }
    }

    private static ProbeSemaphore Open(string name, int flags)
    {
        nint sem = BenchInterop.SemOpen(name, flags, 0x180 /* 0600 */, 0);
        if (sem == 0 || sem == -1)
        {
            throw new InvalidOperationException($"sem_open('{name}') failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        return new ProbeSemaphore(name, sem);
    }
}
