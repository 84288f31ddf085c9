namespace ZeroBuffer.Platform;

/// <summary>
/// A named POSIX semaphore: "/sem-w-&lt;name&gt;" (a frame was written) or "/sem-r-&lt;name&gt;" (space was
/// freed). The owner decides about unlinking. The *Core methods in NamedSemaphore.Linux.cs are the OS seam.
/// </summary>
internal sealed partial class NamedSemaphore : IDisposable
{
    // How often Wait polls before it sleeps (a few tens of microseconds; none on a single CPU, where the
    // peer cannot post while we spin). ZEROBUFFER_SPIN_POLLS overrides it, for A/B benchmark runs.
    private static readonly int SpinPolls = Environment.ProcessorCount > 1
        ? int.TryParse(Environment.GetEnvironmentVariable("ZEROBUFFER_SPIN_POLLS"), out int polls) && polls >= 0 ? polls : 1000
        : 0;

    private readonly SafeSemaphoreHandle _handle;

    // Raw sem_t* for the hot path; valid while _handle is (this object is disposed by its owner only).
    private readonly nint _sem;

    private NamedSemaphore(string osName, string bufferName, SafeSemaphoreHandle handle)
    {
        OsName = osName;
        BufferName = bufferName;
        _handle = handle;
        _sem = handle.DangerousGetHandle();
    }

    internal string OsName { get; }

    internal string BufferName { get; }

    internal static string WrittenName(string bufferName) => "/sem-w-" + bufferName;

    internal static string FreedName(string bufferName) => "/sem-r-" + bufferName;

    /// <summary>Creates a new semaphore with value 0 and mode 0600; null when the name exists.</summary>
    internal static NamedSemaphore? TryCreateNew(string osName, string bufferName) => TryCreateNewCore(osName, bufferName);

    /// <summary>Opens an existing semaphore; null when it does not exist.</summary>
    internal static NamedSemaphore? TryOpen(string osName, string bufferName) => TryOpenCore(osName, bufferName);

    /// <summary>Removes the name; false when it did not exist.</summary>
    internal static bool Unlink(string osName) => UnlinkCore(osName);

    internal void Post() => PostCore(_sem);

    /// <summary>Takes one count without blocking.</summary>
    internal bool TryWait() => TryWaitCore(_sem);

    /// <summary>Waits for one count until the absolute CLOCK_REALTIME <paramref name="deadline"/>.</summary>
    internal bool WaitUntil(in Interop.Timespec deadline) => WaitUntilCore(_sem, deadline);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (zero = poll once). Polls with a pure CPU spin (no yield)
    /// before sleeping: a peer that posts meanwhile finds no sleeper, so neither side pays a futex wake-up.
    /// A/B runs of <c>zerobuffer bench --quick</c> (docs/benchmarks.md): 64 B round trip p50 about 2 µs
    /// with the spin against 6.5-16 µs without, idle or with two CPU hogs running; throughput within
    /// noise. (An earlier spin that yielded the CPU between polls doubled the round trip on a busy host.)
    /// The C++ library spins the same way.
    /// </summary>
    internal bool Wait(TimeSpan timeout)
    {
        if (TryWait())
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        Interop.Timespec deadline = DeadlineAfter(timeout); // first, so the spin counts against the timeout
        for (int i = 0; i < SpinPolls; i++)
        {
            Thread.SpinWait(1);
            if (TryWait())
            {
                return true;
            }
        }

        return WaitUntil(deadline);
    }

    /// <summary>The current value (for diagnostics and tests).</summary>
    internal int Value => GetValueCore(_sem);

    internal static Interop.Timespec DeadlineAfter(TimeSpan timeout) => DeadlineAfterCore(timeout);

    public void Dispose() => _handle.Dispose();
}
