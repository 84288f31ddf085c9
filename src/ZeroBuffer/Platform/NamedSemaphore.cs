namespace ZeroBuffer.Platform;

/// <summary>
/// A named POSIX semaphore: "/sem-w-&lt;name&gt;" (a frame was written) or "/sem-r-&lt;name&gt;" (space was
/// freed). The owner decides about unlinking. The *Core methods in NamedSemaphore.Linux.cs are the OS seam.
/// </summary>
internal sealed partial class NamedSemaphore : IDisposable
{
    // Polls before blocking in Wait(TimeSpan); see there. Pointless on a single CPU.
    private static readonly int SpinIterations = Environment.ProcessorCount > 1 ? 20 : 0;

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
    /// Waits up to <paramref name="timeout"/> (zero = poll once). Spins briefly before blocking: a peer
    /// that posts while we spin needs no futex wake-up, which is most of the cost of a small frame.
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

        // The deadline comes first so the spin counts against the timeout.
        Interop.Timespec deadline = DeadlineAfter(timeout);
        SpinWait spinner = default;
        for (int i = 0; i < SpinIterations; i++)
        {
            // sleep1Threshold -1: spin and yield, never Sleep(1), so the spin stays microseconds long.
            spinner.SpinOnce(sleep1Threshold: -1);
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
