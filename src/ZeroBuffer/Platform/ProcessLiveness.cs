namespace ZeroBuffer.Platform;

/// <summary>Whether a pid recorded in the OIEB belongs to a running process (PROTOCOL.md §5).</summary>
internal static class ProcessLiveness
{
    /// <summary>kill(pid, 0) succeeds or fails with EPERM: alive; ESRCH: dead; 0: no process.</summary>
    internal static bool IsAlive(ulong pid)
    {
        if (pid == 0 || pid > int.MaxValue)
        {
            // 0 means "none"; a value no pid_t can hold is corruption, never a live process (and must
            // not reach kill(), where negative values address process groups).
            return false;
        }

        if (Interop.Libc.Kill((int)pid, 0) == 0)
        {
            return true;
        }

        return Interop.LastErrno == Interop.Errno.EPERM;
    }

    internal static ulong CurrentPid { get; } = (ulong)Environment.ProcessId;
}
