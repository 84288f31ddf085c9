namespace ZeroBuffer.Platform;

internal sealed partial class NamedSemaphore
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    private static long s_interruptedWaits;

    /// <summary>How many sem_timedwait calls a signal interrupted (and were resumed) in this process.</summary>
    internal static long InterruptedWaits => Interlocked.Read(ref s_interruptedWaits);

    private static NamedSemaphore? TryCreateNewCore(string osName, string bufferName)
    {
        SafeSemaphoreHandle handle = Interop.Libc.SemOpen(
            osName, Interop.OpenFlags.O_CREAT | Interop.OpenFlags.O_EXCL, Interop.OpenFlags.Mode0600, 0);
        if (handle.IsInvalid)
        {
            int errno = Interop.LastErrno;
            handle.Dispose();
            if (errno == Interop.Errno.EEXIST)
            {
                return null;
            }

            throw Interop.ErrnoToException(errno, "sem_open(O_CREAT|O_EXCL)", osName, bufferName);
        }

        return new NamedSemaphore(osName, bufferName, handle);
    }

    private static NamedSemaphore? TryOpenCore(string osName, string bufferName)
    {
        SafeSemaphoreHandle handle = Interop.Libc.SemOpen(osName, 0, 0, 0);
        if (handle.IsInvalid)
        {
            int errno = Interop.LastErrno;
            handle.Dispose();
            if (errno == Interop.Errno.ENOENT)
            {
                return null;
            }

            throw Interop.ErrnoToException(errno, "sem_open", osName, bufferName);
        }

        return new NamedSemaphore(osName, bufferName, handle);
    }

    private static bool UnlinkCore(string osName) => Interop.Libc.SemUnlink(osName) == 0;

    private void PostCore(nint sem)
    {
        if (Interop.Libc.SemPost(sem) != 0)
        {
            int errno = Interop.LastErrno;

            // EOVERFLOW: the count is at SEM_VALUE_MAX. The semaphore is a wake-up signal and is
            // already signalled, so dropping this post loses nothing (the waiter re-checks counters).
            if (errno != Interop.Errno.EOVERFLOW)
            {
                throw Interop.ErrnoToException(errno, "sem_post", OsName, BufferName);
            }
        }
    }

    private bool TryWaitCore(nint sem)
    {
        while (true)
        {
            if (Interop.Libc.SemTryWait(sem) == 0)
            {
                return true;
            }

            int errno = Interop.LastErrno;
            if (errno == Interop.Errno.EAGAIN)
            {
                return false;
            }

            if (errno != Interop.Errno.EINTR)
            {
                throw Interop.ErrnoToException(errno, "sem_trywait", OsName, BufferName);
            }
        }
    }

    private bool WaitUntilCore(nint sem, in Interop.Timespec deadline)
    {
        while (true)
        {
            if (Interop.Libc.SemTimedWait(sem, deadline) == 0)
            {
                return true;
            }

            int errno = Interop.LastErrno;
            if (errno == Interop.Errno.ETIMEDOUT)
            {
                return false;
            }

            // A signal interrupted the wait: wait again for the same absolute deadline.
            if (errno != Interop.Errno.EINTR)
            {
                throw Interop.ErrnoToException(errno, "sem_timedwait", OsName, BufferName);
            }

            Interlocked.Increment(ref s_interruptedWaits);
        }
    }

    private int GetValueCore(nint sem) =>
        Interop.Libc.SemGetValue(sem, out int value) == 0
            ? value
            : throw Interop.ErrnoToException(Interop.LastErrno, "sem_getvalue", OsName, BufferName);

    private static Interop.Timespec DeadlineAfterCore(TimeSpan timeout)
    {
        // sem_timedwait measures against CLOCK_REALTIME with an absolute deadline.
        Interop.Libc.ClockGetTime(Interop.CLOCK_REALTIME, out Interop.Timespec now);
        long totalNs = now.Nanoseconds + (long)(Math.Min(timeout.TotalMilliseconds, int.MaxValue) * 1_000_000);
        return new Interop.Timespec
        {
            Seconds = now.Seconds + (totalNs / NanosecondsPerSecond),
            Nanoseconds = totalNs % NanosecondsPerSecond,
        };
    }
}
